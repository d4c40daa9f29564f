/** Realistic log records: the levels, pipelines, runs, messages and metadata the pipelines write. */
import type { LogRecord } from '../src-shared/pipeline.js'

/** The word the text search looks for: it occurs in 10 messages and 10 metadata values, whatever the row count. */
export const RARE_WORD = 'zanzibar'

/**
 * `$1` rows into ops.pipeline_logs in one statement, oldest first (ids ascend with time): levels about 65 % INFO,
 * 20 % DEBUG, 10 % WARNING, 4.5 % ERROR, 0.5 % CRITICAL; four pipelines; a new run every 500 records; six message
 * shapes with numbers and words; six metadata keys. `$2` spaces the rare word's rows.
 */
export const INSERT_LOG_ROWS = `
INSERT INTO ops.pipeline_logs (timestamp, level, message, logger, pipeline_name, run_id, module, function, line, metadata)
SELECT
  localtimestamp - (($1::bigint - i) * interval '2.6 seconds'),
  CASE WHEN i % 200 = 3 THEN 'CRITICAL'
       ELSE (ARRAY['INFO','INFO','INFO','INFO','INFO','INFO','INFO','DEBUG','DEBUG','WARNING','ERROR','INFO','INFO',
                   'DEBUG','WARNING','INFO','INFO','INFO','INFO','DEBUG'])[(1 + (i * 7919) % 20)::int] END,
  CASE (i * 31) % 6
    WHEN 0 THEN format('%s-%s processed: %s silver rows, revenue %s, gold row %s', 2010 + i % 3,
                       lpad((1 + i % 12)::text, 2, '0'), (i * 13) % 40000, ((i * 7) % 900000) / 100.0,
                       (ARRAY['inserted','updated','unchanged'])[(1 + i % 3)::int])
    WHEN 1 THEN format('Stage %s completed: %s rows written', (ARRAY['product_performance','country_sales'])[(1 + i % 2)::int],
                       (i * 17) % 5000)
    WHEN 2 THEN format('attempt %s of 5 failed for 2011-%s: %s; retrying in %s ms', 1 + i % 4, lpad((1 + i % 12)::text, 2, '0'),
                       (ARRAY['connection failure (08006)','serialization failure (40001)','deadlock detected (40P01)'])[(1 + i % 3)::int],
                       (i * 37) % 8000)
    WHEN 3 THEN format('run %s in %s ms: %s processed, %s skipped, %s failed, %s retries',
                       (ARRAY['completed','failed','cancelled'])[(1 + i % 3)::int], (i * 11) % 90000, i % 13, i % 5, i % 2, i % 4)
    WHEN 4 THEN format('Database connection established to warehouse %s', (ARRAY['north','south','east','west'])[(1 + i % 4)::int])
    ELSE format('%s month(s) already completed with unchanged silver, skipped: 2011-01, 2011-02, 2011-03', i % 13)
  END || CASE WHEN i % $2::bigint = 7 THEN ' ${RARE_WORD} customer' ELSE '' END,
  (ARRAY['assay.monthly','assay.reliable','assay.log'])[(1 + i % 3)::int],
  (ARRAY['idempotent_gold_pipeline','reliable_gold_pipeline','idempotent_gold_pipeline','legacy_etl'])[(1 + (i / 500) % 4)::int],
  md5((i / 500)::text)::uuid::text,
  (ARRAY['monthly/run','reliable/run-stage','reliable/pipeline','log/db-sink'])[(1 + i % 4)::int],
  (ARRAY['processMonth','runStage','runReliable', NULL])[(1 + i % 4)::int],
  CASE WHEN i % 5 = 0 THEN NULL ELSE (i % 400)::int END,
  jsonb_build_object('month', format('2011-%s', lpad((1 + i % 12)::text, 2, '0')), 'rows', (i * 13) % 40000,
    'duration_ms', (i * 7) % 5000, 'attempts', 1 + i % 3, 'host', 'build-' || (i % 7),
    'note', CASE WHEN i % $2::bigint = 11 THEN 'shipped to ${RARE_WORD.toUpperCase()}'
                 ELSE (ARRAY['ok','slow disk','checkpoint written','lock wait'])[(1 + i % 4)::int] END)
FROM generate_series(1::bigint, $1::bigint) AS g(i)`

const OUTCOMES = ['inserted', 'updated', 'unchanged'] as const

/** One record as a monthly run logs it (the shape DbLogSink writes), varied by `i`. */
export function sinkRecord(i: number, runId: string): LogRecord {
  const month = `2011-${String(1 + (i % 12)).padStart(2, '0')}`
  return {
    timestamp: new Date().toISOString(),
    level: i % 10 === 0 ? 'DEBUG' : 'INFO',
    message: `${month} processed: ${(i * 13) % 40000} silver rows, revenue ${((i * 7) % 900000) / 100}, gold row ${OUTCOMES[i % 3]}`,
    logger: 'assay.monthly',
    pipeline_name: 'idempotent_gold_pipeline',
    run_id: runId,
    module: 'monthly/run',
    function: 'processMonth',
    line: i % 400,
    metadata: {
      month,
      rows: (i * 13) % 40000,
      duration_ms: i % 5000,
      attempts: 1,
      action: OUTCOMES[i % 3],
      host: 'bench',
    },
  }
}
