import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { AssayError } from '../errors.js'
import { packagePath } from '../package-root.js'
import { sqlState } from './error-class.js'
import type { Db, Queryable } from './types.js'

export interface Migration {
  version: number
  name: string
  sql: string
  checksum: string
}

export interface MigrationReport {
  applied: string[]
  alreadyApplied: string[]
  /** Files whose content changed after they were applied: reported, never re-run. */
  changed: { name: string; recorded: string; current: string }[]
}

/** The `sql/` folder: ASSAY_SQL_DIR, else the one in Assay's package (checkout, npm package or desktop app). */
export function sqlDir(): string {
  if (process.env.ASSAY_SQL_DIR) return process.env.ASSAY_SQL_DIR
  const dir = packagePath('sql')
  if (!existsSync(join(dir, '0001_bronze.sql'))) {
    throw new AssayError(
      'sql_missing',
      `cannot find the sql/ migrations folder at ${dir} (set ASSAY_SQL_DIR)`,
    )
  }
  return dir
}

/** The migration files on disk, in version order, without reading them. File names are NNNN_name.sql. */
export function migrationNames(dir = sqlDir()): Pick<Migration, 'version' | 'name'>[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({ version: Number(file.slice(0, 4)), name: file }))
}

/** The migrations on disk, in version order, with their text and checksum. */
export function loadMigrations(dir = sqlDir()): Migration[] {
  return migrationNames(dir).map(({ version, name }) => {
    const sql = readFileSync(join(dir, name), 'utf8')
    return { version, name, sql, checksum: createHash('sha256').update(sql).digest('hex') }
  })
}

const LEDGER = `
CREATE SCHEMA IF NOT EXISTS ops;
CREATE TABLE IF NOT EXISTS ops.schema_migrations (
    version INTEGER PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    checksum CHAR(64) NOT NULL,
    applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);`

/** Namespace of the advisory lock that serialises concurrent `assay init`s. */
const MIGRATE_LOCK = 0x41530000

interface LedgerRow {
  version: number
  name: string
  checksum: string
}

async function readLedger(tx: Queryable): Promise<Map<number, LedgerRow>> {
  const { rows } = await tx.query<LedgerRow>(
    'SELECT version, name, checksum FROM ops.schema_migrations ORDER BY version',
  )
  return new Map(rows.map((row) => [row.version, row]))
}

/**
 * Applies pending migrations in order, each in its own transaction together with its ledger row,
 * so a failure leaves the database at the previous version. Already-applied files are checked against
 * their recorded checksum.
 */
export async function migrate(db: Db, migrations = loadMigrations()): Promise<MigrationReport> {
  const report: MigrationReport = { applied: [], alreadyApplied: [], changed: [] }
  await db.exec(LEDGER)
  for (const migration of migrations) {
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1::int, 0)', [MIGRATE_LOCK])
      const recorded = (await readLedger(tx)).get(migration.version)
      if (recorded) {
        if (recorded.checksum !== migration.checksum) {
          report.changed.push({
            name: migration.name,
            recorded: recorded.checksum,
            current: migration.checksum,
          })
        } else {
          report.alreadyApplied.push(migration.name)
        }
        return
      }
      try {
        await tx.exec(migration.sql)
      } catch (error) {
        throw new AssayError(
          'migration_failed',
          `migration ${migration.name} failed: ${error instanceof Error ? error.message : error}`,
          {
            cause: error,
          },
        )
      }
      await tx.query('INSERT INTO ops.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        migration.checksum,
      ])
      report.applied.push(migration.name)
    })
  }
  return report
}

export interface SchemaState {
  pending: string[]
  changed: string[]
}

/** What `migrate` would do, without doing it. */
export async function schemaState(db: Queryable, migrations = loadMigrations()): Promise<SchemaState> {
  // One round trip (every pipeline run starts here): a missing ledger table means nothing is applied yet.
  const ledger = await readLedger(db).catch((error: unknown) => {
    if (sqlState(error) === '42P01') return new Map<number, LedgerRow>()
    throw error
  })
  return {
    pending: migrations.filter((m) => !ledger.has(m.version)).map((m) => m.name),
    changed: migrations
      .filter((m) => ledger.has(m.version) && ledger.get(m.version)?.checksum !== m.checksum)
      .map((m) => m.name),
  }
}

/** Refuses to run a pipeline against a database whose schema is not fully migrated. */
export async function assertMigrated(db: Queryable): Promise<void> {
  const state = await schemaState(db)
  if (state.pending.length > 0) {
    throw new AssayError(
      'schema_missing',
      `the database is not initialised (${state.pending.length} migration(s) pending: ${state.pending.join(', ')}) — run: assay init`,
    )
  }
}
