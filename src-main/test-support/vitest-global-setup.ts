import { ensureBuilt } from './built-cli.js'
import { dropOrphans } from './databases.js'
import { makePgTemplate } from './templates.js'

/**
 * Before any test file starts: build the CLI (tests that spawn `assay` run the built one) and make the run's
 * migrated template database, which every scratch PostgreSQL database copies. Drops the template at the end, and
 * at the start those of earlier runs that were killed before they could.
 */
export default async function setup(): Promise<() => Promise<void>> {
  ensureBuilt()
  await dropOrphans('assay_test_tpl')
  const template = await makePgTemplate()
  return () => template.drop()
}
