import type { Sql } from '../../torture/db.js'
import { createDatabase, databaseUrl, dropDatabase, newName, pool, sqlOf } from '../../torture/db.js'
import { runAssay } from '../../torture/runner.js'

/** A scratch database a bad-input suite drives through the real CLI, and a small pool to check what it holds. */
export interface CliDatabase {
  name: string
  url: string
  sql: Sql
  /** A copy of it (a template takes no connections, so the pool is closed while the copy is made). */
  copy(label: string): Promise<string>
  /** Closes the pool and drops the database. */
  end(): Promise<void>
}

/** Creates the database and brings it to the suite's starting state by running `assay` with each of `setup`. */
export async function cliDatabase(label: string, setup: string[][], poolSize = 1): Promise<CliDatabase> {
  const name = await createDatabase(newName(label))
  const url = databaseUrl(name)
  for (const args of setup) {
    const result = await runAssay(args, { databaseUrl: url, timeoutMs: 120_000 })
    if (result.code !== 0) {
      await dropDatabase(name)
      throw new Error(`setup: assay ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
    }
  }
  let p = pool(name, poolSize)
  return {
    name,
    url,
    sql: (text, values) => sqlOf(p)(text, values),
    async copy(copyLabel) {
      await p.end()
      try {
        return await createDatabase(newName(copyLabel), name)
      } finally {
        p = pool(name, poolSize)
      }
    },
    async end() {
      await p.end()
      await dropDatabase(name)
    },
  }
}
