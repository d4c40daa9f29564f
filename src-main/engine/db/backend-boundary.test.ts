import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = new URL('../../..', import.meta.url).pathname
const DB_DIR = 'src-main/engine/db/'

/** Product source outside engine/db: tests and the test kit may build a backend on purpose. */
function productFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'test-support' ? [] : productFiles(path)
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : []
  })
}

/**
 * Branching on the open database's backend. Choosing a backend from configuration (`config.kind`, the settings
 * form) is not branching on the Db: code asks `db.capabilities` instead.
 */
const FORBIDDEN: [RegExp, string][] = [
  [/instanceof\s+Pg(lite)?Db\b/, 'instanceof a backend class'],
  [/\bdb\??\.kind\b/, 'db.kind'],
  [/server\.kind\s*(?:[!=]==|\?)/, 'a decision on db.server.kind (display only)'],
  [/from\s+'[^']*\/db\/(pg|pglite|pg-copy|pglite-copy)\.js'/, 'an import of a backend module'],
  [/from\s+'(pg|pg-copy-streams|@electric-sql\/pglite[^']*)'/, 'an import of a driver'],
]

describe('backend boundary', () => {
  const files = [...productFiles('src-main'), ...productFiles('src-shared')].filter(
    (file) => !file.startsWith(DB_DIR),
  )

  it('finds the product source', () => {
    expect(files.length).toBeGreaterThan(100)
    expect(files).toContain('src-main/engine/monthly/process-month.ts')
  })

  it('no file outside engine/db branches on the backend or imports a driver', () => {
    const offences = files.flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          FORBIDDEN.filter(([pattern]) => pattern.test(line)).map(
            ([, what]) => `${file}:${i + 1}: ${what}: ${line.trim()}`,
          ),
        ),
    )
    expect(offences).toEqual([])
  })

  it('the check catches what it is meant to', () => {
    const caught = (line: string) => FORBIDDEN.some(([pattern]) => pattern.test(line))
    expect(caught("if (db.kind === 'postgres') {")).toBe(true)
    expect(caught('if (ctx.db instanceof PgDb) {')).toBe(true)
    expect(caught("import { isConnectionLoss } from '../db/pg.js'")).toBe(true)
    expect(caught("import pg from 'pg'")).toBe(true)
    expect(caught('if (db.capabilities.canCancelStatements) {')).toBe(false)
    expect(caught("if (config.kind === 'pglite') return")).toBe(false)
  })
})
