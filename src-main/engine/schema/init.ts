import { type MigrationReport, migrate } from '../db/migrate.js'
import type { Db } from '../db/types.js'
import { checkSchema, type SchemaProblem } from './health.js'
import { TRACKING_TRIGGERS } from './owned.js'
import { repairSchema } from './repair.js'
import { resyncTracking } from './tracking.js'

export interface InitReport {
  migrations: MigrationReport
  /** What was found missing or disabled, and has been recreated. */
  repaired: SchemaProblem[]
  /** Months found drifted (and marked) by the verification that follows a tracking trigger's repair. */
  drifted: string[]
}

/**
 * `assay init`: applies pending migrations, then checks every object Assay owns and repairs what is missing or
 * disabled (by re-running the idempotent migrations). When a tracking trigger was among them, silver's tracking is
 * re-counted and every month verified by content, so changes made meanwhile are redone by the next monthly run.
 */
export async function initDatabase(db: Db): Promise<InitReport> {
  const migrations = await migrate(db)
  const problems = await checkSchema(db)
  if (problems.length === 0) return { migrations, repaired: [], drifted: [] }
  await repairSchema(db)
  const left = await checkSchema(db)
  if (left.length > 0) throw new Error(`repair left problems: ${left.map((p) => p.message).join('; ')}`)
  const trackingWasOff = problems.some((p) => TRACKING_TRIGGERS.includes(p.name))
  const drifted = trackingWasOff ? await resyncTracking(db) : []
  return { migrations, repaired: problems, drifted }
}
