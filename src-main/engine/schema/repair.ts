import { loadMigrations, type Migration } from '../db/migrate.js'
import type { Db } from '../db/types.js'
import { AssayError, messageOf } from '../errors.js'

/**
 * Recreates whatever Assay owns that is missing or disabled by running every migration again, in order, in one
 * transaction. Each migration is idempotent (CREATE … IF NOT EXISTS, CREATE OR REPLACE FUNCTION, triggers dropped
 * and created, columns added IF NOT EXISTS), so this restores objects and never drops or rewrites user data. A
 * step that cannot be done (a unique index over duplicate rows) fails the whole repair, with its reason.
 */
export async function repairSchema(db: Db, migrations: Migration[] = loadMigrations()): Promise<void> {
  await db.transaction(async (tx) => {
    for (const migration of migrations) {
      try {
        await tx.exec(migration.sql)
      } catch (error) {
        throw new AssayError(
          'repair_failed',
          `could not repair the schema: re-running ${migration.name} failed: ${messageOf(error)}`,
          { cause: error },
        )
      }
    }
  })
}
