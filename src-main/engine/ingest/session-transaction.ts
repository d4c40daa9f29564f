import type { Readable } from 'node:stream'
import type { Transaction } from '@electric-sql/pglite'
import { parsers } from '../db/normalise.js'
import type { PgliteDb } from '../db/pglite.js'
import type { Db, Queryable } from '../db/types.js'

/** What a bulk load needs inside its transaction: queries and COPY, on the same connection. */
export interface LoadTx extends Queryable {
  copyFrom(copySql: string, source: Readable): Promise<number>
}

/**
 * Runs `fn` in one transaction that can also COPY, so a bulk load lands whole or not at all.
 * PostgreSQL: BEGIN … COMMIT on one dedicated session (`Session.copyFrom` joins it).
 * PGlite: inside PGlite's own transaction, which holds its lock for the whole load — a plain BEGIN there
 * would let any other work of the same process (a console job) run inside, and commit, our transaction.
 */
export async function withLoadTransaction<T>(db: Db, fn: (tx: LoadTx) => Promise<T>): Promise<T> {
  if (db.kind === 'pglite') return (db as PgliteDb).raw.transaction((tx) => fn(pgliteLoadTx(tx)))
  const session = await db.session()
  let broken = false
  try {
    await session.query('BEGIN')
    try {
      const result = await fn(session)
      await session.query('COMMIT')
      return result
    } catch (error) {
      await session.query('ROLLBACK').catch(() => {
        broken = true
      })
      throw error
    }
  } finally {
    await session.release(broken)
  }
}

function pgliteLoadTx(tx: Transaction): LoadTx {
  return {
    async query(statement, values) {
      const text = typeof statement === 'string' ? statement : statement.text
      const params = (typeof statement === 'string' ? values : (statement.values ?? values)) as
        | unknown[]
        | undefined
      // biome-ignore lint/suspicious/noExplicitAny: the row type is the caller's to declare
      const result = await tx.query<any>(text, params, { parsers })
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length }
    },
    async exec(script) {
      await tx.exec(script)
    },
    // PGlite has no COPY FROM STDIN: the batch goes in as a blob (callers keep batches bounded).
    async copyFrom(copySql, source) {
      const chunks: Buffer[] = []
      for await (const chunk of source) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))
      const sql = copySql.replace(/FROM\s+STDIN/i, `FROM '/dev/blob'`)
      const result = await tx.query(sql, [], { blob: new Blob(chunks) })
      return result.affectedRows ?? 0
    },
  }
}
