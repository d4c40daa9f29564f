/** Shared vocabulary of the bronze ingest: formats, date layouts, rejections and the final report. */

export type FileFormat = 'csv' | 'xlsx'

/** How the slash dates of a file are written. `iso` and `excel` files never need the choice. */
export type DateLayout = 'dmy' | 'mdy'

/** What the user asked for with `--date-format`. */
export type DateFormatOption = 'auto' | DateLayout

/** Why a line did not land in bronze. Stable codes: the summary groups by them. */
export type RejectKind =
  | 'missing_invoice'
  | 'missing_stockcode'
  | 'missing_date'
  | 'bad_quantity'
  | 'bad_price'
  | 'negative_price'
  | 'price_too_high'
  | 'bad_date'
  | 'date_out_of_range'
  | 'quantity_out_of_range'
  | 'bad_customer'
  | 'too_long'
  | 'field_count'
  | 'broken_quoting'
  | 'line_too_long'
  | 'invalid_utf8'
  | 'nul_byte'

/** One line that did not land, as stored in `bronze.rejected_lines`. */
export interface Rejection {
  /** 1-based physical line in the file (the header is line 1); the row number in an xlsx sheet. */
  line: number
  kind: RejectKind
  /** A sentence for a person, e.g. `quantity is not a whole number: "abc"`. */
  reason: string
  raw: string
}

/** Rejections of one kind, for the end-of-file summary. */
export interface RejectGroup {
  kind: RejectKind
  count: number
  examples: Rejection[]
}

export interface IngestOptions {
  dateFormat?: DateFormatOption
  /** Called with bytes read so far (of `totalBytes`), a few times a second at most by the caller's choice. */
  onProgress?: (bytesRead: number, totalBytes: number) => void
  /** Lines per COPY batch (tests use small batches to cover batching). */
  batchRows?: number
}

export interface IngestReport {
  status: 'loaded' | 'already_ingested'
  fileName: string
  sha256: string
  bytes: number
  format: FileFormat
  /** xlsx only: the sheet that was read, and the sheets that were skipped. */
  sheet?: string
  skippedSheets?: string[]
  /** 'dmy' | 'mdy' for slash dates, 'iso', or 'excel' for native xlsx dates. */
  dateLayout?: string
  loaded: number
  rejected: number
  /** Empty lines: skipped, not rejected (a trailing blank line is not an error). */
  blankLines: number
  groups: RejectGroup[]
  seconds: number
  /** When `status` is 'already_ingested': the earlier ingest of the same content. */
  previous?: { fileName: string; ingestedAt: string; rowsLoaded: number }
}

/** Longest physical line we read (bytes or characters); longer lines are rejected without being buffered. */
export const MAX_LINE = 64 * 1024

/** Lines processed before any date shows its layout; beyond this the file is refused (bounded memory). */
export const MAX_LAYOUT_BUFFER = 100_000

/** Lines per COPY batch: PGlite buffers one batch in memory, so keep it bounded. */
export const DEFAULT_BATCH_ROWS = 20_000
