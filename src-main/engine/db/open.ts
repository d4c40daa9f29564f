import type { DbConfig } from '../config.js'
import { PgDb } from './pg.js'
import type { Db } from './types.js'

export interface OpenOptions {
  /** Pool size for PostgreSQL. */
  max?: number
  applicationName?: string
}

/** Opens the database a config points at. Failures are AssayErrors with specific messages. */
export async function openDb(config: DbConfig, options: OpenOptions = {}): Promise<Db> {
  if (config.kind === 'postgres') return PgDb.open(config, options)
  // Loaded on demand: PGlite (WASM) costs a CLI start ~0.2 s that a PostgreSQL user need not pay.
  const { PgliteDb } = await import('./pglite.js')
  return PgliteDb.open(config)
}

/** Runs `fn` with an open database and always closes it (PGlite keeps the process alive until closed). */
export async function withDb<T>(
  config: DbConfig,
  fn: (db: Db) => Promise<T>,
  options?: OpenOptions,
): Promise<T> {
  const db = await openDb(config, options)
  try {
    return await fn(db)
  } finally {
    await db.close()
  }
}
