import type { MonthlyPlan, ResetReport, RunEvent, RunSummary } from '../../../src-shared/pipeline.js'

/** One line of the end-of-run table. */
export interface MonthLine {
  month: string
  status: string
  rows: number | null
  attempts: number | null
  durationMs: number | null
  note: string
}

/** Folds a run's events into one line per month, in the order they were planned or met. */
export class MonthTable {
  private readonly lines = new Map<string, MonthLine>()

  private line(month: string): MonthLine {
    let line = this.lines.get(month)
    if (!line) {
      line = { month, status: 'pending', rows: null, attempts: null, durationMs: null, note: '' }
      this.lines.set(month, line)
    }
    return line
  }

  apply(event: RunEvent): void {
    switch (event.type) {
      case 'run.started':
        for (const month of event.planned) this.line(month)
        break
      case 'unit.started':
        Object.assign(this.line(event.unit), { status: 'running', attempts: event.attempt })
        break
      case 'unit.completed':
        Object.assign(this.line(event.unit), {
          status: 'completed',
          rows: event.rows,
          attempts: event.attempts,
          durationMs: event.durationMs,
        })
        break
      case 'unit.skipped':
        Object.assign(this.line(event.unit), { status: 'skipped', note: event.reason })
        break
      case 'unit.failed':
        Object.assign(this.line(event.unit), {
          status: 'failed',
          attempts: event.attempts,
          note: event.error,
        })
        break
    }
  }

  /** Final lines: months the run never reached say so. */
  finish(summary: RunSummary): MonthLine[] {
    for (const skip of summary.skipped) {
      const line = this.line(skip.unit)
      if (line.status === 'pending') Object.assign(line, { status: 'skipped', note: skip.reason })
    }
    const open = summary.status === 'cancelled' ? 'cancelled' : 'not run'
    for (const line of this.lines.values()) {
      if (line.status === 'running') Object.assign(line, { status: open, note: 'rolled back' })
      else if (line.status === 'pending') line.status = open
    }
    return [...this.lines.values()].sort((a, b) => a.month.localeCompare(b.month))
  }
}

const fmt = (n: number | null) => (n === null ? '—' : n.toLocaleString('en-US'))

/** The summary table: month, status, rows, attempts, duration, note. */
export function renderTable(lines: MonthLine[], summary: RunSummary): string {
  const head = ['month', 'status', 'rows', 'attempts', 'duration', 'note']
  const body = lines.map((l) => [
    l.month,
    l.status,
    fmt(l.rows),
    fmt(l.attempts),
    l.durationMs === null ? '—' : `${l.durationMs} ms`,
    l.note.length > 90 ? `${l.note.slice(0, 87)}…` : l.note,
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)))
  const right = new Set([2, 3, 4])
  const row = (cells: string[]) =>
    cells
      .map((c, i) =>
        i === cells.length - 1 ? c : right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!),
      )
      .join('  ')
      .trimEnd()
  const out = [row(head), row(widths.map((w) => '─'.repeat(w)))]
  out.push(...body.map(row))
  if (lines.length === 0) out.push('(no months needed work)')
  const counts = `${summary.done.length} processed, ${summary.skipped.length} skipped, ${summary.failed.length} failed`
  out.push(
    '',
    `run ${summary.runId} ${summary.status} in ${summary.durationMs} ms: ${counts}, ${summary.retries} retries`,
  )
  if (summary.error && summary.status !== 'completed') out.push(`error: ${summary.error}`)
  return out.join('\n')
}

/** A dry-run plan for people: each month, why, its silver rows, and the exact gold change. */
export function renderPlan(plan: MonthlyPlan, scopeText: string): string {
  const out = [`dry run (${scopeText}): nothing is written`]
  if (plan.items.length === 0) out.push('no month would be processed')
  else out.push(`${plan.items.length} month(s) would be processed:`)
  for (const item of plan.items) {
    const diff = item.diff
    const action = diff
      ? diff.action === 'unchanged'
        ? 'gold row unchanged (same values; updated_at kept)'
        : `gold row ${diff.action === 'insert' ? 'inserted' : 'updated'}`
      : ''
    out.push(
      `  ${item.monthKey}  ${item.reason.padEnd(11)}  ${fmt(item.silverRows).padStart(9)} silver rows  ${action}`,
    )
    for (const change of diff?.changes ?? []) {
      const old = change.old === null ? '—' : String(change.old)
      out.push(`      ${change.column.padEnd(28)} ${old.padStart(14)} → ${change.new}`)
    }
  }
  if (plan.skipped.length > 0) {
    out.push('skipped:')
    for (const skip of plan.skipped) out.push(`  ${skip.monthKey}  ${skip.reason.padEnd(17)}  ${skip.detail}`)
  }
  return out.join('\n')
}

export function renderReset(report: ResetReport, scopeText: string, done: boolean): string {
  if (report.months.length === 0) return `nothing to reset: no processing state recorded for ${scopeText}`
  const list = report.months.join(', ')
  if (!done)
    return `reset will clear the processing state of ${report.months.length} month(s) (${scopeText}): ${list}\ngold data is kept; checkpoint and log history are kept`
  return `cleared ${report.months.length} month(s); the next \`assay monthly\` processes them again`
}
