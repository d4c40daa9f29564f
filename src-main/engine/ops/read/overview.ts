import type { Fix, FixAction, Layer, Overview } from '../../../../src-shared/overview.js'
import type { Db } from '../../db/types.js'
import { breakerState } from '../../retry.js'
import { layerStatus } from '../../status/layer-status.js'
import { pipelineHealth } from './overview-health.js'
import { monthTotals, recentStageRuns } from './overview-months.js'

const LAYERS: Layer[] = ['bronze', 'silver', 'gold', 'ops']

/** The console button that does what a CLI fix command does, where there is one. */
function actionFor(command: string): FixAction | null {
  if (command === 'assay init') return 'init'
  if (command.startsWith('assay demo')) return 'demo'
  if (command === 'assay silver') return 'silver'
  if (command === 'assay monthly') return 'monthly'
  if (command === 'assay reliable') return 'reliable'
  return null
}

/**
 * Everything the Overview shows, read in one request: layer status with fixes, the seed's health queries,
 * gold monthly revenue reconciled against silver, stage durations of recent runs, and the circuit breaker.
 * Before `init`, only the layer status and fixes are filled in.
 */
export async function overview(db: Db): Promise<Overview> {
  const status = await layerStatus(db)
  const layers = LAYERS.map((layer) => {
    const tables = status.tables.filter((t) => t.layer === layer)
    return { layer, tables, ok: tables.every((t) => t.exists) && tables.some((t) => (t.rows ?? 0) > 0) }
  })
  const fixes: Fix[] = status.nextSteps.map((step) => ({
    ...step,
    action: actionFor(step.commands[0] ?? ''),
  }))
  const breaker = breakerState(db)
  const empty = { health: [], failuresByStage: [], slowStages: [], logLevels: [] }
  const ready = status.schema.pending.length === 0 && status.tables.every((t) => t.exists)
  if (!ready) return { layers, fixes, ...empty, months: [], monthsMissingInGold: [], stageRuns: [], breaker }
  const { months, missing } = await monthTotals(db)
  return {
    layers,
    fixes,
    ...(await pipelineHealth(db)),
    months,
    monthsMissingInGold: missing,
    stageRuns: await recentStageRuns(db),
    breaker,
  }
}
