import { fileURLToPath } from 'node:url'

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const ASSAY_BIN = fileURLToPath(new URL('../../bin/assay.mjs', import.meta.url))
/** Screenshots of each view, committed so reviewers see the console without running it. */
export const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))

/** The PostgreSQL server the suite makes scratch databases on (as the vitest suite: ASSAY_TEST_PG). */
export function serverUrl(database = 'postgres'): string {
  const url = new URL(process.env.ASSAY_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres')
  url.pathname = `/${database}`
  return url.toString()
}
