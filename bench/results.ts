/** What the benchmark collects: one metric per measured thing, one cell per backend/scale column. */

export type Unit = 's' | 'ms' | 'lines/s' | 'records/s' | 'MB' | '×'

export interface Target {
  op: '<=' | '>='
  value: number
}

export interface Cell {
  value: number
  samples?: number[]
  /** Extra facts about this measurement (rows, sizes, the median of a breakdown…). */
  detail?: string
}

export interface MetricSpec {
  area: string
  label: string
  unit: Unit
  target?: Target
  /** The cost is expected to grow with scale (shown as the scale-10 ÷ scale-1 cost). */
  scales?: boolean
  note?: string
}

export interface Metric extends MetricSpec {
  id: string
  cells: Record<string, Cell>
}

/** A column: a backend at a scale ("pg:1", "pg:10", "pglite:1"), or "pg" for scale-independent measurements. */
export function column(backend: 'pg' | 'pglite', scale?: number): string {
  return scale === undefined ? backend : `${backend}:${scale}`
}

export function columnLabel(key: string): string {
  const [backend, scale] = key.split(':')
  const name = backend === 'pglite' ? 'PGlite' : 'PostgreSQL'
  return scale === undefined ? name : `${name}, scale ${scale}`
}

export interface LoadMark {
  what: string
  start: [number, number, number]
  end: [number, number, number]
  seconds: number
}

export class Results {
  readonly metrics = new Map<string, Metric>()
  readonly notes: string[] = []
  readonly loads: LoadMark[] = []

  record(id: string, spec: MetricSpec, columnKey: string, cell: Cell): void {
    const metric = this.metrics.get(id) ?? { id, ...spec, cells: {} }
    metric.cells[columnKey] = cell
    this.metrics.set(id, metric)
  }

  note(text: string): void {
    this.notes.push(text)
    process.stderr.write(`bench: note: ${text}\n`)
  }
}

/** Whether a value meets a target. */
export function meets(value: number, target: Target): boolean {
  return target.op === '<=' ? value <= target.value : value >= target.value
}
