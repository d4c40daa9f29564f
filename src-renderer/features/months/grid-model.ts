import type { MonthState } from '../../../src-shared/pipeline'

export interface MonthGridModel {
  /** Years with at least one known month, ascending. */
  years: number[]
  cell(year: number, month: number): MonthState | undefined
}

/** Arranges the known months as a year × month grid. */
export function monthGrid(months: readonly MonthState[]): MonthGridModel {
  const byKey = new Map(months.map((m) => [m.year * 100 + m.month, m]))
  const years = [...new Set(months.map((m) => m.year))].sort((a, b) => a - b)
  return { years, cell: (year, month) => byKey.get(year * 100 + month) }
}

/** How many months are in each status, for the legend. */
export function statusCounts(months: readonly MonthState[]): Partial<Record<MonthState['status'], number>> {
  const counts: Partial<Record<MonthState['status'], number>> = {}
  for (const m of months) counts[m.status] = (counts[m.status] ?? 0) + 1
  return counts
}
