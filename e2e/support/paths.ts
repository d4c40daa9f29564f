import { fileURLToPath } from 'node:url'
import { assayCli } from '../../src-main/test-support/built-cli'

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** The built CLI (out/main/cli.js, or ASSAY_CLI): global setup builds it. */
export const ASSAY_BIN = assayCli()
/** Screenshots of each view, committed so reviewers see the console without running it. */
export const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))

/** The PostgreSQL server the suite makes scratch databases on (as the vitest suite: ASSAY_TEST_PG). */
export function serverUrl(database = 'postgres'): string {
  const url = new URL(process.env.ASSAY_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres')
  url.pathname = `/${database}`
  return url.toString()
}
