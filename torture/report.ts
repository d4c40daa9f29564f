import { writeFileSync } from 'node:fs'
import type { TrialOutcome } from './trial.js'

export interface FamilyRow {
  fault: string
  trials: number
  survived: number
  mismatches: number
  doubleCounted: number
  lost: number
  stuck: number
}

/** One row per fault family, in the order given, plus a total. */
export function summarise(outcomes: TrialOutcome[], families: string[]): FamilyRow[] {
  const rows = families.map((fault) => {
    const mine = outcomes.filter((outcome) => outcome.family === fault)
    return {
      fault,
      trials: mine.length,
      survived: mine.filter((outcome) => outcome.survived).length,
      mismatches: sum(mine, 'mismatches'),
      doubleCounted: sum(mine, 'doubleCounted'),
      lost: sum(mine, 'lost'),
      stuck: sum(mine, 'stuck'),
    }
  })
  const total: FamilyRow = {
    fault: 'total',
    trials: 0,
    survived: 0,
    mismatches: 0,
    doubleCounted: 0,
    lost: 0,
    stuck: 0,
  }
  for (const row of rows) {
    for (const key of ['trials', 'survived', 'mismatches', 'doubleCounted', 'lost', 'stuck'] as const)
      total[key] += row[key]
  }
  return [...rows, total]
}

function sum(outcomes: TrialOutcome[], key: 'mismatches' | 'doubleCounted' | 'lost' | 'stuck'): number {
  return outcomes.reduce((acc, outcome) => acc + outcome[key], 0)
}

const HEADERS: [keyof FamilyRow, string][] = [
  ['fault', 'fault'],
  ['trials', 'trials'],
  ['survived', 'survived'],
  ['mismatches', 'mismatches found'],
  ['doubleCounted', 'months double-counted'],
  ['lost', 'months lost'],
  ['stuck', 'stuck runs'],
]

/** The results as a plain-text table (first column left-aligned, numbers right-aligned). */
export function formatTable(rows: FamilyRow[]): string {
  const cells = [
    HEADERS.map(([, title]) => title),
    ...rows.map((row) => HEADERS.map(([key]) => String(row[key]))),
  ]
  const widths = HEADERS.map((_, i) => Math.max(...cells.map((line) => (line[i] ?? '').length)))
  const render = (line: string[]) =>
    line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ')
  const rule = widths.map((width) => '-'.repeat(width)).join('-+-')
  const lines = cells.map(render)
  lines.splice(1, 0, rule)
  lines.splice(lines.length - 1, 0, rule)
  return lines.join('\n')
}

/** Variants tried per family, e.g. "kill: after-commit 12, mid-tx 11, random 10". */
export function formatVariants(outcomes: TrialOutcome[], families: string[]): string {
  return families
    .map((family) => {
      const counts = new Map<string, number>()
      for (const outcome of outcomes.filter((o) => o.family === family))
        counts.set(outcome.variant, (counts.get(outcome.variant) ?? 0) + 1)
      const parts = [...counts]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([variant, n]) => `${variant} ${n}`)
      return `  ${family}: ${parts.join(', ')}`
    })
    .join('\n')
}

/** The failed trials, each with what to run to replay it alone. */
export function formatFailures(outcomes: TrialOutcome[], replay: (outcome: TrialOutcome) => string): string {
  const failed = outcomes.filter((outcome) => !outcome.survived)
  if (failed.length === 0) return ''
  return failed
    .map((outcome) => {
      const head = `trial ${outcome.index} ${outcome.family}/${outcome.variant} (${outcome.ms} ms) — replay: ${replay(outcome)}`
      const body = outcome.failures.map((failure) => `    - ${failure}`).join('\n')
      const notes = outcome.notes.length > 0 ? `\n    notes: ${outcome.notes.join('; ')}` : ''
      return `${head}\n${body}${notes}`
    })
    .join('\n')
}

export interface JsonReport {
  seed: number
  scale: number
  startedAt: string
  seconds: number
  summary: FamilyRow[]
  trials: TrialOutcome[]
  ok: boolean
}

export function writeJson(file: string, report: JsonReport): void {
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
}
