import { isUtf8 } from 'node:buffer'
import { parseCsvLine } from './csv-fields.js'
import { MAX_LINE, type Rejection } from './types.js'

/** Where the splitter sends what it finds: data records, rejected lines, blank lines. */
export interface LineSink {
  record(line: number, fields: string[], raw: string): void
  reject(rejection: Rejection): void
  blank(line: number): void
}

/** A quoted value may span lines, but not more than this many: beyond it the opening line is taken as broken. */
const MAX_RECORD_LINES = 20
const PREVIEW = 200

/**
 * Splits CSV bytes into records, keeping the physical line number and raw text of each, so every
 * rejected line can be reported exactly. Bytes are checked for UTF-8 and NULs a chunk at a time (a line at
 * a time only when a chunk has a problem), lines over {@link MAX_LINE} are skipped without being buffered,
 * and a stray quote costs only its own line: the splitter re-synchronises on the next line.
 * The first line (the header, validated before) is skipped.
 */
export class CsvSplitter {
  private carry: Buffer | undefined
  private lineNo = 0
  private skipping = false
  private first = true
  private pending: { line: number; text: string }[] = []
  private pendingChars = 0

  constructor(
    private readonly width: number,
    private readonly sink: LineSink,
  ) {}

  push(chunk: Buffer): void {
    let buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk
    this.carry = undefined
    let start = 0
    if (this.first && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
      buf = buf.subarray(3)
    }
    if (this.skipping) {
      const nl = buf.indexOf(10)
      if (nl === -1) return
      this.skipping = false
      start = nl + 1
    }
    const last = buf.lastIndexOf(10)
    if (last >= start) {
      this.lines(buf, start, last)
      start = last + 1
    }
    this.hold(buf.subarray(start))
  }

  /** Flushes the last line (a file need not end with a newline) and any quote still open. */
  end(): void {
    if (!this.skipping && this.carry && this.carry.length > 0) {
      const rest = this.carry
      this.carry = undefined
      this.lines(rest, 0, rest.length)
    }
    while (this.pending.length > 0) this.resync()
  }

  private hold(rest: Buffer): void {
    if (rest.length <= MAX_LINE) {
      this.carry = rest.length > 0 ? rest : undefined
      return
    }
    // An over-long line: report it from a preview and drop bytes until the next newline.
    while (this.pending.length > 0) this.resync()
    this.lineNo++
    this.sink.reject({
      line: this.lineNo,
      kind: 'line_too_long',
      reason: `line longer than ${MAX_LINE} bytes (not read)`,
      raw: lossy(rest.subarray(0, PREVIEW)),
    })
    this.first = false
    this.skipping = true
  }

  /** Lines in buf[start, end): each ends at a newline except the last, which ends at `end`. */
  private lines(buf: Buffer, start: number, end: number): void {
    const part = buf.subarray(start, end)
    if (part.indexOf(0) === -1 && isUtf8(part)) {
      const text = part.toString('utf8')
      let pos = 0
      for (;;) {
        const nl = text.indexOf('\n', pos)
        this.line(nl === -1 ? text.slice(pos) : text.slice(pos, nl))
        if (nl === -1) return
        pos = nl + 1
      }
    }
    // Slow path, only for a chunk that has a bad byte somewhere: find the culprit lines.
    let pos = 0
    for (;;) {
      let nl = part.indexOf(10, pos)
      if (nl === -1) nl = part.length
      const bytes = part.subarray(pos, nl)
      if (bytes.indexOf(0) !== -1) this.bad(bytes, 'nul_byte', 'contains a NUL byte (binary data?)')
      else if (!isUtf8(bytes)) {
        this.bad(
          bytes,
          'invalid_utf8',
          'not valid UTF-8 (was the file saved as Windows-1252/Latin-1? save it as UTF-8)',
        )
      } else this.line(bytes.toString('utf8'))
      if (nl >= part.length) return
      pos = nl + 1
    }
  }

  private bad(bytes: Buffer, kind: 'nul_byte' | 'invalid_utf8', reason: string): void {
    this.lineNo++
    if (this.first) {
      this.first = false
      return
    }
    while (this.pending.length > 0) this.resync()
    this.sink.reject({ line: this.lineNo, kind, reason, raw: lossy(bytes) })
  }

  private line(raw: string): void {
    this.lineNo++
    if (this.first) {
      this.first = false
      return
    }
    const text = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw
    if (text.length > MAX_LINE) {
      while (this.pending.length > 0) this.resync()
      this.sink.reject({
        line: this.lineNo,
        kind: 'line_too_long',
        reason: `line longer than ${MAX_LINE} characters`,
        raw: `${text.slice(0, PREVIEW)}…`,
      })
      return
    }
    this.logical(this.lineNo, text)
  }

  /** One physical line of text, joined to an open quoted value if there is one. */
  private logical(line: number, text: string): void {
    if (this.pending.length > 0) {
      this.pending.push({ line, text })
      this.pendingChars += text.length
      this.continuePending()
      return
    }
    if (text === '') {
      this.sink.blank(line)
      return
    }
    if (text.indexOf('"') === -1) {
      this.emit(line, text.split(','), text)
      return
    }
    const fields = parseCsvLine(text)
    if (fields === 'open') {
      this.pending = [{ line, text }]
      this.pendingChars = text.length
    } else if (fields === 'broken') {
      this.sink.reject({
        line,
        kind: 'broken_quoting',
        reason: 'broken quoting (text after a closing quote)',
        raw: text,
      })
    } else this.emit(line, fields, text)
  }

  private continuePending(): void {
    const joined = this.pending.map((p) => p.text).join('\n')
    const fields = parseCsvLine(joined)
    if (fields === 'open') {
      if (this.pending.length >= MAX_RECORD_LINES || this.pendingChars > MAX_LINE) this.resync()
      return
    }
    // A value that spans lines is only believed when the record comes out whole.
    if (fields === 'broken' || fields.length !== this.width) {
      this.resync()
      return
    }
    const line = this.pending[0]!.line
    this.pending = []
    this.pendingChars = 0
    this.sink.record(line, fields, joined)
  }

  /** The open quote was a stray one: reject its line and read the following lines afresh. */
  private resync(): void {
    const [first, ...rest] = this.pending
    this.pending = []
    this.pendingChars = 0
    if (!first) return
    this.sink.reject({
      line: first.line,
      kind: 'broken_quoting',
      reason: 'broken quoting (a quoted value never closes)',
      raw: first.text,
    })
    for (const next of rest) this.logical(next.line, next.text)
  }

  private emit(line: number, fields: string[], raw: string): void {
    if (fields.length === this.width) this.sink.record(line, fields, raw)
    else {
      this.sink.reject({
        line,
        kind: 'field_count',
        reason: `wrong field count: ${fields.length} fields, expected ${this.width}`,
        raw,
      })
    }
  }
}

/** Text for storage: invalid bytes become U+FFFD, and NUL (which PostgreSQL text cannot hold) too. */
export function lossy(bytes: Buffer): string {
  return bytes.toString('utf8').replaceAll('\u0000', '\uFFFD')
}
