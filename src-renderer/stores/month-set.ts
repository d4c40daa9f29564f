/**
 * The month set picked in the grid, as a spreadsheet picks cells: a click picks one month, ctrl/cmd-click adds
 * or removes one, shift-click (or a drag) picks the span from the anchor. Pure, so the grid and tests share it.
 */
import { parseMonthKey } from '../../src-shared/months'
import type { MonthlyScope, ResetScope } from '../../src-shared/pipeline'

export interface MonthSet {
  picked: ReadonlySet<string>
  /** Where a shift-click or drag span starts. */
  anchor: string | null
}

export const EMPTY_SET: MonthSet = { picked: new Set(), anchor: null }

export type PickMode = 'one' | 'toggle' | 'span'

/** `order`: every known month key, ascending (a span covers the known months between two keys). */
export function pick(set: MonthSet, key: string, mode: PickMode, order: readonly string[]): MonthSet {
  if (mode === 'toggle') {
    const picked = new Set(set.picked)
    if (!picked.delete(key)) picked.add(key)
    return { picked, anchor: key }
  }
  if (mode === 'span' && set.anchor) {
    const [a, b] = [set.anchor, key].sort() as [string, string]
    return { picked: new Set(order.filter((k) => k >= a && k <= b)), anchor: set.anchor }
  }
  return { picked: new Set([key]), anchor: key }
}

/** The picked months as a run scope (and a reset scope): sorted, as the engine wants them. */
export function setScope(picked: ReadonlySet<string>): MonthlyScope & ResetScope {
  const months = [...picked].sort().map((k) => parseMonthKey(k) as { year: number; month: number })
  return { kind: 'months', months }
}
