/** CSV exports of the ops tables: what the console asks for and the progress the host reports. */
import { z } from 'zod'
import { ExplainTarget } from './explain.js'
import { CheckpointStatusText, LogFilter, Name } from './filters.js'

/** The ops tables, and 'explain': one level of "explain this number" (its target in the filter's `explain`). */
export const ExportTable = z.enum(['logs', 'checkpoints', 'runs', 'months', 'explain'])
export type ExportTable = z.infer<typeof ExportTable>

/** A view's filter as the export applies it on the server; an empty object exports everything. */
export const ExportFilter = LogFilter.extend({
  stage: Name.optional(),
  status: CheckpointStatusText.optional(),
  /** The level of "explain this number" an 'explain' export holds (all its rows, in the order shown). */
  explain: ExplainTarget.optional(),
})
export type ExportFilter = z.infer<typeof ExportFilter>

export const ExportRequest = z.object({
  table: ExportTable,
  filter: ExportFilter,
  /** Start with a UTF-8 byte order mark so Excel reads the file as UTF-8. */
  bom: z.boolean(),
})
export type ExportRequest = z.infer<typeof ExportRequest>

export const ExportStarted = z.object({
  /** null when the person closed the save dialog without choosing a file. */
  exportId: z.string().nullable(),
  filename: z.string(),
  /** download: the browser fetches /export/<id>; file: the host writes `path` itself (desktop). */
  destination: z.enum(['download', 'file']),
  path: z.string().nullable(),
  /** Rows the filter matches when the export started (for the progress bar). */
  totalRows: z.number(),
})
export type ExportStarted = z.infer<typeof ExportStarted>

export const ExportCount = z.object({ rows: z.number() })

export const ExportState = z.enum(['waiting', 'running', 'done', 'failed', 'cancelled'])
export type ExportState = z.infer<typeof ExportState>

export const ExportProgress = z.object({
  exportId: z.string(),
  state: ExportState,
  bytes: z.number(),
  rows: z.number(),
  totalRows: z.number(),
  message: z.string().nullable(),
  path: z.string().nullable(),
})
export type ExportProgress = z.infer<typeof ExportProgress>

/** Path of the browser twin's download endpoint: /export/<exportId>?token=… */
export const EXPORT_PATH = '/export/'
