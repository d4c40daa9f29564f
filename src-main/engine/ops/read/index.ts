/**
 * The read model of the ops tables: every query that shows runs, logs, checkpoints, run history and the
 * Overview. The CLI (`assay runs`, `status`), the console's host and the exports read through it, so a column
 * list or a record's shape is written once. Writers stay in engine/ops (runs, checkpoints) and engine/log.
 */
export {
  CHECKPOINT_COLUMNS,
  checkpointFacets,
  checkpointPage,
  checkpointRecord,
  runCheckpoints,
  toCheckpoint,
} from './checkpoints.js'
export {
  LOG_RECORD_COLUMNS,
  lastLogId,
  logFacets,
  logRecord,
  logsAfter,
  normaliseLevel,
  runProblems,
  toStoredRecord,
} from './logs.js'
export { overview } from './overview.js'
export { runDetail } from './run-detail.js'
export { getRun, RUN_COLUMNS, recentRuns, runningRuns, runsOverview, toRunRecord } from './runs.js'
export { runsList } from './runs-list.js'
