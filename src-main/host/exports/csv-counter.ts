import { Transform, type TransformCallback } from 'node:stream'

const QUOTE = 0x22
const NEWLINE = 0x0a

/**
 * Passes CSV bytes through and counts records as they go: a newline outside quotes ends a record (RFC 4180
 * quotes newlines inside a field, and a doubled quote flips the state twice). The header line is not counted.
 * Reports about `intervalMs` apart, never per chunk.
 */
export class CsvCounter extends Transform {
  bytes = 0
  private lines = 0
  private quoted = false
  private last = 0

  constructor(
    private readonly onProgress: (rows: number, bytes: number) => void,
    private readonly intervalMs = 150,
  ) {
    super()
  }

  get rows(): number {
    return Math.max(0, this.lines - 1)
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let quoted = this.quoted
    let lines = this.lines
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]
      if (c === QUOTE) quoted = !quoted
      else if (c === NEWLINE && !quoted) lines++
    }
    this.quoted = quoted
    this.lines = lines
    this.bytes += chunk.length
    const now = performance.now()
    if (now - this.last >= this.intervalMs) {
      this.last = now
      this.onProgress(this.rows, this.bytes)
    }
    done(null, chunk)
  }
}
