import type { LogRecord } from '../../../src-shared/pipeline.js'
import { messageOf } from '../errors.js'

const COLUMNS = 'timestamp, level, message, logger, pipeline_name, run_id, module, function, line, metadata'
const UNNEST = `SELECT * FROM unnest($1::timestamp[], $2::varchar[], $3::text[], $4::varchar[], $5::varchar[],
                              $6::varchar[], $7::varchar[], $8::varchar[], $9::int[], $10::jsonb[])`

/** A batch of records, one multi-row INSERT. */
export const INSERT_LOGS = {
  name: 'logs/insert-batch',
  text: `INSERT INTO ops.pipeline_logs (${COLUMNS}) ${UNNEST}`,
}

/**
 * A batch of spooled records: each carries metadata.spool_id, and a record already in the table (a back-fill
 * interrupted after its INSERT and repeated) is skipped by the unique index on it (sql/0007). Returns one row per
 * record inserted.
 */
export const INSERT_SPOOLED = {
  name: 'logs/insert-spooled',
  text: `INSERT INTO ops.pipeline_logs (${COLUMNS}) ${UNNEST}
         ON CONFLICT ((metadata ->> 'spool_id')) WHERE metadata ? 'spool_id' DO NOTHING RETURNING 1`,
}

/** Fits a value to its VARCHAR(n) column: one over-long value must not make every retry of its batch fail. */
function truncate(value: string | null, max: number): string | null {
  return value !== null && value.length > max ? value.slice(0, max) : value
}

/** JSON that cannot throw (BigInt, cycles): a record that cannot be serialised must not block the batch. */
function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? item.toString() : item)) ?? '{}'
  } catch (error) {
    return JSON.stringify({ unserialisable_metadata: messageOf(error) })
  }
}

/** The INSERT's ten array parameters, column by column. */
export function logColumns(batch: LogRecord[]): unknown[] {
  return [
    batch.map((r) => r.timestamp),
    batch.map((r) => r.level),
    batch.map((r) => r.message),
    batch.map((r) => truncate(r.logger, 100)),
    batch.map((r) => truncate(r.pipeline_name, 100)),
    batch.map((r) => truncate(r.run_id, 50)),
    batch.map((r) => truncate(r.module, 100)),
    batch.map((r) => truncate(r.function, 100)),
    batch.map((r) => r.line),
    batch.map((r) => safeJson(r.metadata)),
  ]
}
