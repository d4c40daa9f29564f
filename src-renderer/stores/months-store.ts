import { create } from 'zustand'
import type { MonthState } from '../../src-shared/pipeline'
import { messageOf } from '../api/client'
import { api } from '../api/instance'
import { EMPTY_SET, type MonthSet, type PickMode, pick } from './month-set'

interface MonthsState {
  months: MonthState[]
  loaded: boolean
  error: string | null
  /** The month whose detail is open. */
  selected: string | null
  /** Months picked together (shift/ctrl-click, drag) for one action. */
  set: MonthSet
}

export const useMonths = create<MonthsState>()(() => ({
  months: [],
  loaded: false,
  error: null,
  selected: null,
  set: EMPTY_SET,
}))

export function setMonths(months: MonthState[]): void {
  useMonths.setState({ months, loaded: true, error: null })
}

export async function loadMonths(): Promise<void> {
  try {
    setMonths(await api().request('months:list'))
  } catch (error) {
    useMonths.setState({ loaded: true, error: messageOf(error) })
  }
}

export function selectMonth(monthKey: string | null): void {
  useMonths.setState({ selected: monthKey })
}

export function selectSelectedMonth(s: MonthsState): MonthState | undefined {
  return s.selected ? s.months.find((m) => m.monthKey === s.selected) : undefined
}

/** Picks a month in the grid (one, toggle, or the span from the anchor); one month picked = that month open. */
export function pickMonth(key: string, mode: PickMode): void {
  const s = useMonths.getState()
  const order = s.months.map((m) => m.monthKey).sort()
  const set = pick(s.set, key, mode, order)
  useMonths.setState({ set, selected: set.picked.size === 1 ? [...set.picked][0]! : s.selected })
}

export function clearMonthSet(): void {
  useMonths.setState((s) => ({
    set: { picked: new Set(s.selected ? [s.selected] : []), anchor: s.selected },
  }))
}
