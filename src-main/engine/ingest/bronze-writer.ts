import { Readable } from 'node:stream'
import type { Tx } from '../db/types.js'
import type { Rejection } from './types.js'

const BRONZE_COPY =
  'COPY bronze.raw_transactions (invoiceno, stockcode, description, quantity, invoicedate, unitprice, customerid, country, source_line, source_file, source_sha256) FROM STDIN (FORMAT csv)'
const REJECT_COPY =
  'COPY bronze.rejected_lines (file_sha256, file_name, line_number, reason, raw_line) FROM STDIN (FORMAT csv)'

/** A value as a COPY CSV field; an empty string stays an empty string (quoted), not NULL. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value === '' ? `"${value.replace(/"/g, '""')}"` : value
}

/**
 * Collects cleaned lines and rejections and COPYs them on one session in bounded batches, inside the
 * transaction the caller opened there. One batch is in flight while the next is being parsed, so on
 * PostgreSQL reading and loading overlap.
 */
export class BronzeWriter {
  private rows: string[] = []
  private rejects: string[] = []
  private inFlight: Promise<unknown> = Promise.resolve()
  private readonly rowSuffix: string
  private readonly rejectPrefix: string

  constructor(
    private readonly session: Tx,
    sourceFile: string,
    sha256: string,
    private readonly batchRows: number,
  ) {
    // Lineage (source_line, then the file's name and hash): every line of a file ends the same way. Generated
    // data has no file hash ('' → NULL).
    this.rowSuffix = `,${csvField(sourceFile)},${sha256}\n`
    this.rejectPrefix = `${sha256},${csvField(sourceFile)},`
  }

  /**
   * A cleaned line as COPY CSV text without the lineage columns (see cleanRecord), and its line number in the
   * source file (none for generated lines: an empty unquoted field is NULL).
   */
  add(line: string, lineNumber?: number): void {
    this.rows.push(`${line},${lineNumber ?? ''}`)
  }

  reject(rejection: Rejection): void {
    const raw = rejection.raw.replaceAll('\u0000', '\uFFFD')
    this.rejects.push(
      `${this.rejectPrefix}${rejection.line},${csvField(rejection.reason)},${csvField(raw)}\n`,
    )
  }

  get full(): boolean {
    return this.rows.length >= this.batchRows || this.rejects.length >= this.batchRows
  }

  /** Starts the COPY of what is collected once the previous batch has finished. */
  async flush(): Promise<void> {
    if (this.rows.length > 0) {
      const text = this.rows.join(this.rowSuffix) + this.rowSuffix
      this.rows = []
      await this.start(BRONZE_COPY, text)
    }
    if (this.rejects.length > 0) {
      const text = this.rejects.join('')
      this.rejects = []
      await this.start(REJECT_COPY, text)
    }
  }

  /** Flushes everything and waits for the last COPY. */
  async finish(): Promise<void> {
    await this.flush()
    await this.inFlight
  }

  private async start(sql: string, text: string): Promise<void> {
    await this.inFlight
    const copy = this.session.copyIn(sql, Readable.from([Buffer.from(text)]))
    // The error surfaces at the next await of inFlight; this keeps it from being an unhandled rejection meanwhile.
    copy.catch(() => undefined)
    this.inFlight = copy
  }
}
