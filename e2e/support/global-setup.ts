import { ensureBuilt } from '../../src-main/test-support/built-cli'
import { runAssay } from './cli'
import { createDatabase, dropRunDatabases, runPrefix } from './databases'
import { serverUrl } from './paths'

/**
 * Builds the console (renderer, main, preload) and makes the template database the specs copy: schemas
 * created with `assay init`, demo data in bronze, silver built — gold empty. Each spec file then runs its own
 * `assay serve` on its own copy (e2e/support/app.ts), so specs never see each other's runs.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  ensureBuilt()

  const prefix = runPrefix()
  const template = await createDatabase()
  const url = serverUrl(template)
  await runAssay(['init', '--database-url', url])
  await runAssay(['demo', '--scale', '0.05', '--database-url', url])
  await runAssay(['silver', '--database-url', url])
  process.env.ASSAY_E2E_TEMPLATE = template

  return async () => {
    await dropRunDatabases(prefix)
  }
}
