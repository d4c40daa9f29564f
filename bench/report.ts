/** The results as a Markdown table (printed, and written to bench/RESULTS.md) and as JSON. */
import { writeFileSync } from 'node:fs'
import type { Machine } from './machine.js'
import { type Cell, columnLabel, type Metric, meets, type Results, type Unit } from './results.js'

export interface RunInfo {
  date: string
  command: string
  reps: number
  machine: Machine
  pglite?: string
  load: { start: [number, number, number]; end: [number, number, number] }
  seconds: number
}

export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return 'n/a'
  switch (unit) {
    case 's':
      return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)} s`
    case 'ms':
      return `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`
    case 'lines/s':
    case 'records/s':
      return `${Math.round(value).toLocaleString('en')} ${unit}`
    case 'MB':
      return `${Math.round(value)} MB`
    case '×':
      return `${value.toFixed(2)}×`
  }
}

function targetText(metric: Metric): string {
  if (!metric.target) return ''
  return `${metric.target.op === '<=' ? '≤' : '≥'} ${formatValue(metric.target.value, metric.unit)}`
}

function cellText(cell: Cell | undefined, unit: Unit): string {
  if (!cell) return '—'
  return formatValue(cell.value, unit) + (cell.detail ? ` (${cell.detail})` : '')
}

/** Cost at scale 10 ÷ cost at scale 1 (linear = ×10): times directly, rates via the work they do. */
function growth(metric: Metric, small: string, large: string): string {
  const a = metric.cells[small]?.value
  const b = metric.cells[large]?.value
  if (!metric.scales || a === undefined || b === undefined || a <= 0 || b <= 0) return ''
  const factor = Number(large.split(':')[1]) / Number(small.split(':')[1])
  const ratio = metric.unit.endsWith('/s') ? factor * (a / b) : b / a
  return `×${ratio.toFixed(1)}`
}

/** ✅ when every PostgreSQL cell meets the target, ❌ when one misses, blank without a target. */
export function verdict(metric: Metric): '' | 'met' | 'missed' {
  if (!metric.target) return ''
  const cells = Object.entries(metric.cells).filter(([key]) => key.startsWith('pg:') || key === 'pg')
  if (cells.length === 0) return ''
  return cells.every(([, cell]) => meets(cell.value, metric.target!)) ? 'met' : 'missed'
}

function table(metrics: Metric[], columns: string[]): string {
  const pgScales = columns.filter((c) => c.startsWith('pg:'))
  const pglite = columns.filter((c) => c.startsWith('pglite:'))
  const showGrowth = pgScales.length >= 2
  const head = [
    'measure',
    'target',
    ...pgScales.map(columnLabel),
    ...(showGrowth ? [`cost ${pgScales.at(-1)!.split(':')[1]} ÷ ${pgScales[0]!.split(':')[1]}`] : []),
    ...pglite.map(columnLabel),
    ...(pglite.length > 0 ? ['PGlite ÷ PostgreSQL'] : []),
    'met',
  ]
  if (columns.includes('pg')) head.splice(2, 0, columnLabel('pg'))
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`]
  for (const m of metrics) {
    const row = [m.label, targetText(m)]
    if (columns.includes('pg')) row.push(cellText(m.cells.pg, m.unit))
    for (const c of pgScales) row.push(cellText(m.cells[c], m.unit))
    if (showGrowth) row.push(growth(m, pgScales[0]!, pgScales.at(-1)!))
    for (const c of pglite) row.push(cellText(m.cells[c], m.unit))
    if (pglite.length > 0) {
      const scale = pglite[0]!.split(':')[1]
      const a = m.cells[`pg:${scale}`]?.value
      const b = m.cells[pglite[0]!]?.value
      const ratio = a && b && m.unit !== '×' ? (m.unit.endsWith('/s') ? a / b : b / a).toFixed(1) + '×' : ''
      row.push(ratio)
    }
    const v = verdict(m)
    row.push(v === 'met' ? '✅' : v === 'missed' ? '❌' : '')
    lines.push(`| ${row.join(' | ')} |`)
  }
  return lines.join('\n')
}

function loadText(l: [number, number, number]): string {
  return l.map((x) => x.toFixed(2)).join(' / ')
}

/** Metrics in the order recorded, except that `x.y` follows `x` (a variant follows what it varies). */
function ordered(all: Metric[]): Metric[] {
  const ids = new Set(all.map((m) => m.id))
  const parentOf = (id: string): string | undefined => {
    for (let cut = id.lastIndexOf('.'); cut > 0; cut = id.lastIndexOf('.', cut - 1)) {
      if (ids.has(id.slice(0, cut))) return id.slice(0, cut)
    }
    return undefined
  }
  const out: Metric[] = []
  const place = (m: Metric) => {
    out.push(m)
    for (const child of all) if (parentOf(child.id) === m.id) place(child)
  }
  for (const m of all) if (!parentOf(m.id)) place(m)
  return out
}

/** The whole report in Markdown. */
export function markdown(results: Results, info: RunInfo): string {
  const metrics = ordered([...results.metrics.values()])
  const columns = [...new Set(metrics.flatMap((m) => Object.keys(m.cells)))].sort((a, b) => {
    const rank = (k: string) => (k === 'pg' ? 0 : k.startsWith('pg:') ? 1 : 2)
    return rank(a) - rank(b) || Number(a.split(':')[1] ?? 0) - Number(b.split(':')[1] ?? 0)
  })
  // Whole-process CLI timings get their own table: what a user waits for, each beside bare node.
  const cli = metrics.filter((m) => m.area === 'cli')
  const rest = metrics.filter((m) => m.area !== 'cli')
  const perScale = rest.filter((m) => Object.keys(m.cells).some((k) => k.includes(':')))
  const global = rest.filter((m) => !perScale.includes(m))
  const m = info.machine
  const out: string[] = []
  out.push(`### Measured ${info.date}`)
  out.push('')
  out.push(
    `Machine: ${m.cores} cores (${m.cpu}), ${m.memoryGb} GB memory, Linux ${m.kernel}, Node ${m.node}; ${m.postgres} ` +
      `(${Object.entries(m.postgresSettings)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')})${info.pglite ? `; PGlite ${info.pglite}` : ''}.`,
  )
  out.push(
    `Load average (1 / 5 / 15 min): ${loadText(info.load.start)} at the start, ${loadText(info.load.end)} at the end — ` +
      `the machine was shared with other test runs, so compare ratios measured in the same run. ` +
      `Timings are medians of ${info.reps} repetitions unless a cell says otherwise; the whole run took ${Math.round(info.seconds / 60)} min.`,
  )
  out.push(`Command: \`${info.command}\``)
  out.push('')
  if (cli.length > 0) {
    out.push("#### The CLI, whole process (spawned as a shell would; `node -e ''` measured in the same run)")
    out.push('')
    out.push(
      table(
        cli,
        columns.filter((c) => cli.some((x) => c in x.cells)),
      ),
    )
    out.push('')
  }
  if (perScale.length > 0) {
    out.push('#### Pipeline')
    out.push('')
    out.push(
      table(
        perScale,
        columns.filter((c) => c !== 'pg'),
      ),
    )
    out.push('')
  }
  if (global.length > 0) {
    out.push('#### Logs and live events')
    out.push('')
    out.push(table(global, ['pg']))
    out.push('')
  }
  const judged = metrics.filter((x) => verdict(x) !== '')
  if (judged.length > 0) {
    const missed = judged.filter((x) => verdict(x) === 'missed')
    out.push(
      `Targets: ${judged.length - missed.length} of ${judged.length} met${missed.length > 0 ? `; missed: ${missed.map((x) => x.label).join('; ')}` : ''}.`,
    )
    out.push('')
  }
  if (results.notes.length > 0) {
    out.push('Notes:')
    out.push('')
    for (const note of results.notes) out.push(`- ${note}`)
    out.push('')
  }
  return out.join('\n')
}

export function writeJson(file: string, results: Results, info: RunInfo): void {
  const metrics = [...results.metrics.values()].map((m) => ({ ...m, verdict: verdict(m) || undefined }))
  writeFileSync(
    file,
    `${JSON.stringify({ ...info, metrics, notes: results.notes, loads: results.loads }, null, 2)}\n`,
  )
}
