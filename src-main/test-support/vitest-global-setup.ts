import { ensureBuilt } from './built-cli.js'

/** Tests that spawn `assay` run the built CLI: build it once, before any test file starts. */
export default function setup(): void {
  ensureBuilt()
}
