import { ensureBuilt } from './built-cli.js'
import { makePgTemplate } from './templates.js'

/**
 * Before any test file starts: build the CLI (tests that spawn `assay` run the built one) and make the run's
 * migrated template database, which every scratch PostgreSQL database copies. Drops the template at the end.
 */
export default async function setup(): Promise<() => Promise<void>> {
  ensureBuilt()
  const template = await makePgTemplate()
  return () => template.drop()
}
