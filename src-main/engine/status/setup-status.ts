import type { SetupStatus } from '../../../src-shared/contract.js'
import type { Db } from '../db/types.js'
import { layerStatus } from './layer-status.js'

/** What the database holds, layer by layer (the engine's layer status), and the next first-run step. */
export async function setupStatus(db: Db): Promise<SetupStatus> {
  const status = await layerStatus(db)
  const rows = (name: string) => status.tables.find((t) => t.name === name)?.rows ?? null
  const initialised = status.schema.pending.length === 0
  const bronzeRows = rows('bronze.raw_transactions')
  const silverRows = rows('silver.fact_sales_daily')
  const goldMonths = rows('gold.fact_sales_monthly')
  const next = !initialised
    ? 'init'
    : !bronzeRows
      ? 'demo'
      : !silverRows
        ? 'silver'
        : !goldMonths
          ? 'run'
          : 'ready'
  return {
    initialised,
    pendingMigrations: status.schema.pending,
    changedMigrations: status.schema.changed,
    bronzeRows,
    silverRows,
    goldMonths,
    embedded: !db.capabilities.canLoseConnection,
    demoAvailable: initialised && !bronzeRows,
    next,
    fixes: status.nextSteps,
  }
}
