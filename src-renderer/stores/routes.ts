/**
 * Applies a route (a link, reload, back/forward) to the stores that own the state it names: the Logs filters
 * and the open month. Stores write the URL when the user changes them; this reads it back.
 */
import { LogLevel } from '../../src-shared/pipeline'
import { type LogFilters, setFilters, useLogs } from './logs-store'
import { selectMonth, useMonths } from './months-store'
import type { Route } from './view-store'

const LOG_KEYS = ['level', 'pipeline', 'runId', 'search', 'from', 'to'] as const

/** The Logs filters a route's params name (unknown keys and an unknown level are ignored). */
export function logFiltersOf(params: Readonly<Record<string, string>>): LogFilters {
  const filters: LogFilters = {}
  for (const key of LOG_KEYS) {
    const value = params[key]
    if (!value) continue
    if (key === 'level') {
      const level = LogLevel.safeParse(value)
      if (level.success) filters.level = level.data
    } else filters[key] = value
  }
  return filters
}

export function sameFilters(a: LogFilters, b: LogFilters): boolean {
  return LOG_KEYS.every((k) => (a[k] ?? '') === (b[k] ?? ''))
}

export function applyRoute(route: Route): void {
  if (route.view === 'logs') {
    const filters = logFiltersOf(route.params)
    if (!sameFilters(filters, useLogs.getState().filters)) void setFilters(filters, { fromUrl: true })
  }
  if (route.view === 'months' && useMonths.getState().selected !== route.month) selectMonth(route.month)
}
