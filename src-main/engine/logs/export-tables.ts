import { type FilterColumns, LOG_COLUMNS } from './filter.js'

/** The tables the console exports, by the name callers use. */
export type ExportTable = 'logs' | 'checkpoints' | 'runs' | 'months'
export const EXPORT_TABLES: readonly ExportTable[] = ['logs', 'checkpoints', 'runs', 'months']

/**
 * A text cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, and tab or carriage return, which some
 * spreadsheets strip before looking) gets a leading single quote, so it shows as the text it is. Done in SQL:
 * per-cell work in JavaScript would make a 1M-row export ten times slower. `ascii()` reads the first character
 * without building a string (61 `=`, 43 `+`, 45 `-`, 64 `@`, 9 tab, 13 CR).
 */
export function neutralised(expression: string, alias: string): string {
  return `CASE WHEN ascii(${expression}) IN (61, 43, 45, 64, 9, 13) THEN '''' || ${expression} ELSE ${expression} END AS ${alias}`
}

/**
 * A column of an export: plain (numbers, timestamps), text (neutralised), or JSON. JSON text starts with `{`,
 * `[`, `"`, a digit, `-` of a negative number, or t/f/n — never a formula — so it is not neutralised (which
 * would also cost a second jsonb-to-text conversion per cell).
 */
interface Column {
  name: string
  /** SQL for the value; defaults to the column name. */
  sql?: string
  text?: boolean
}

export interface ExportSpec {
  /** The relation read, from this fixed list only (identifiers never come from callers). */
  from: string
  columns: readonly Column[]
  filters: FilterColumns
  orderBy: string
}

const text = (name: string, sql?: string): Column => ({ name, sql, text: true })
const plain = (name: string, sql?: string): Column => ({ name, sql })
const json = (name: string): Column => ({ name, sql: `${name}::text` })

/** Every exportable table: its columns in table order, its filters, and the order rows come out in. */
export const EXPORTS: Record<ExportTable, ExportSpec> = {
  logs: {
    from: 'ops.pipeline_logs',
    columns: [
      plain('id'),
      plain('timestamp'),
      text('level'),
      text('message'),
      text('logger'),
      text('pipeline_name'),
      text('run_id'),
      text('module'),
      text('function'),
      plain('line'),
      json('metadata'),
    ],
    filters: LOG_COLUMNS,
    // As the Logs view shows them: newest first.
    orderBy: 'id DESC',
  },
  checkpoints: {
    from: 'ops.pipeline_checkpoint',
    columns: [
      plain('id'),
      text('pipeline_name'),
      text('run_id'),
      text('stage'),
      text('checkpoint_key'),
      text('checkpoint_value'),
      text('status'),
      plain('start_time'),
      plain('end_time'),
      plain('duration_ms'),
      json('metadata'),
      plain('created_at'),
      plain('updated_at'),
    ],
    filters: { pipeline: 'pipeline_name', runId: 'run_id', status: 'status', time: 'start_time' },
    orderBy: 'id DESC',
  },
  runs: {
    from: 'ops.pipeline_runs',
    columns: [
      text('run_id'),
      text('pipeline_name'),
      text('pipeline'),
      text('trigger'),
      json('args'),
      text('host'),
      plain('pid'),
      text('status'),
      plain('started_at'),
      plain('ended_at'),
      plain('duration_ms'),
      json('planned'),
      json('done'),
      json('skipped'),
      json('failed'),
      plain('retries'),
      text('error'),
      text('sqlstate'),
      text('resumed_from'),
    ],
    filters: { pipeline: 'pipeline_name', runId: 'run_id', status: 'status', time: 'started_at' },
    orderBy: 'started_at DESC, run_id',
  },
  months: {
    from: 'ops.processed_months',
    columns: [
      text('month_key'),
      plain('year'),
      plain('month'),
      text('status'),
      plain('processed_at'),
      plain('started_at'),
      plain('duration_ms'),
      plain('attempts'),
      text('run_id'),
      text('host'),
      text('error'),
      text('sqlstate'),
      plain('silver_version'),
      plain('silver_rows'),
      plain('silver_revenue'),
      plain('silver_quantity'),
      plain('silver_transactions'),
      plain('updated_at'),
    ],
    filters: { runId: 'run_id', status: 'status', time: 'processed_at' },
    orderBy: 'year, month',
  },
}

/** The SELECT list of an export: every column under its own name, text ones neutralised. */
export function selectList(spec: ExportSpec): string {
  return spec.columns
    .map((c) => {
      const quoted = `"${c.name}"`
      const sql = c.sql ?? quoted
      if (c.text) return neutralised(sql, quoted)
      return sql === quoted ? quoted : `${sql} AS ${quoted}`
    })
    .join(',\n       ')
}
