import { create } from 'zustand'
import type { MonthState } from '../../src-shared/pipeline'
import { messageOf } from '../api/client'
import { api } from '../api/instance'

interface MonthsState {
  months: MonthState[]
  loaded: boolean
  error: string | null
  /** The month whose detail is open. */
  selected: string | null
}

export const useMonths = create<MonthsState>()(() => ({
  months: [],
  loaded: false,
  error: null,
  selected: null,
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
