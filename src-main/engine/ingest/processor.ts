import { AssayError } from '../errors.js'
import type { BronzeWriter } from './bronze-writer.js'
import { cleanRecord } from './clean.js'
import type { LineSink } from './csv-splitter.js'
import { layoutEvidence, needsLayout } from './dates.js'
import { type ColumnMap, DATE_COLUMN } from './header.js'
import {
  type DateLayout,
  MAX_LAYOUT_BUFFER,
  type RejectGroup,
  type Rejection,
  type RejectKind,
} from './types.js'

type Value = string | Date | undefined

interface Held {
  line: number
  values: Value[]
  raw: string
}

/** Rejections that say "this is not an Online Retail file" rather than "this line is bad". */
const STRUCTURAL = new Set<RejectKind>([
  'field_count',
  'broken_quoting',
  'line_too_long',
  'invalid_utf8',
  'nul_byte',
])
const GUARD_MIN = 1000
const MAX_HELD_CHARS = 32 * 1024 * 1024
const EXAMPLES = 3

/**
 * Takes records from a reader (CSV or xlsx), decides the file's date layout, cleans each line and hands
 * it to the writer. Until a date shows its layout (a component above 12), lines are held back — a bounded
 * number of them; a file that never tells is refused, naming `--date-format`.
 */
export class LineProcessor implements LineSink {
  layout: DateLayout | undefined
  /** True once a date (or --date-format) settled the layout; false for files with no slash dates. */
  decided: boolean
  loaded = 0
  rejected = 0
  blankLines = 0
  private structural = 0
  private held: Held[] = []
  private heldChars = 0
  private undecided = 0
  readonly groups = new Map<RejectKind, RejectGroup>()

  constructor(
    private readonly writer: BronzeWriter,
    private readonly map: ColumnMap,
    forced: DateLayout | undefined,
  ) {
    this.layout = forced
    this.decided = forced !== undefined
  }

  /** Data lines seen (loaded, rejected or held), blank lines excluded. */
  get dataLines(): number {
    return this.loaded + this.rejected + this.held.length
  }

  record(line: number, fields: Value[], raw: string): void {
    const values = this.map.identity ? fields : this.map.positions.map((p) => fields[p])
    if (this.layout) {
      this.clean(line, values, raw)
      return
    }
    const date = values[DATE_COLUMN]
    let slash = false
    if (typeof date === 'string') {
      const evidence = layoutEvidence(date.trim())
      if (evidence) {
        this.layout = evidence
        this.decided = true
        this.releaseHeld()
        this.clean(line, values, raw)
        return
      }
      slash = needsLayout(date.trim())
      if (slash) this.undecided++
    }
    // A date that needs no layout (ISO text, an Excel date) goes straight through when nothing is held before
    // it: holding it would keep the file order for nothing, and fill the buffer (a long ISO file was refused).
    if (!slash && this.held.length === 0) {
      this.clean(line, values, raw, 'dmy')
      return
    }
    this.held.push({ line, values, raw })
    this.heldChars += raw.length
    if (this.held.length > MAX_LAYOUT_BUFFER || this.heldChars > MAX_HELD_CHARS) {
      throw new AssayError(
        'date_layout_unknown',
        `the first ${this.held.length.toLocaleString('en')} lines do not show whether dates are day-first or month-first (no day or month above 12) — choose with --date-format dmy or --date-format mdy; nothing was written`,
      )
    }
  }

  reject(rejection: Rejection): void {
    this.rejected++
    let group = this.groups.get(rejection.kind)
    if (!group) {
      group = { kind: rejection.kind, count: 0, examples: [] }
      this.groups.set(rejection.kind, group)
    }
    group.count++
    if (group.examples.length < EXAMPLES) {
      group.examples.push({ ...rejection, raw: rejection.raw.slice(0, 300) })
    }
    this.writer.reject(rejection)
    if (STRUCTURAL.has(rejection.kind)) this.structural++
    // Fail fast on what is not a retail file at all, instead of recording millions of rejected lines.
    if (this.structural >= GUARD_MIN && this.structural * 2 > this.dataLines) {
      throw new AssayError(
        'not_retail_data',
        `refused: ${this.structural.toLocaleString('en')} of the first ${this.dataLines.toLocaleString('en')} lines are malformed (e.g. line ${rejection.line}: ${rejection.reason}) — this does not look like an Online Retail file; nothing was written`,
      )
    }
  }

  blank(): void {
    this.blankLines++
  }

  /** End of input: a file whose slash dates never disambiguate is refused; otherwise the held lines go through. */
  finish(): void {
    if (this.layout) return
    if (this.undecided > 0) {
      throw new AssayError(
        'date_layout_unknown',
        `cannot tell whether the dates are day-first or month-first: no date in the file has a day or month above 12 — choose with --date-format dmy or --date-format mdy; nothing was written`,
      )
    }
    // No slash dates at all (ISO text or Excel dates): the layout never matters.
    this.layout = 'dmy'
    this.releaseHeld()
  }

  private releaseHeld(): void {
    const held = this.held
    this.held = []
    this.heldChars = 0
    for (const h of held) this.clean(h.line, h.values, h.raw)
  }

  /** `layout` only matters for slash dates; lines without one may pass either. */
  private clean(line: number, values: Value[], raw: string, layout = this.layout!): void {
    const result = cleanRecord(values, layout)
    if (typeof result === 'string') {
      this.loaded++
      this.writer.add(result, line)
    } else this.reject({ line, kind: result.kind, reason: result.reason, raw })
  }
}
