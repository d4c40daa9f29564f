/** TEST SUPPORT ONLY — what the seed (the original Python scripts and schema) fixes, written down once for tests. */

/** The seed's ops.pipeline_logs columns besides id, in table order: a JSON log line has exactly these keys. */
export const SEED_LOG_COLUMNS = [
  'timestamp',
  'level',
  'message',
  'logger',
  'pipeline_name',
  'run_id',
  'module',
  'function',
  'line',
  'metadata',
] as const

/** The same with the id first: a row of ops.pipeline_logs (a CSV export, the seed's "View pipeline logs"). */
export const SEED_LOG_TABLE_COLUMNS = ['id', ...SEED_LOG_COLUMNS] as const
