/**
 * Applies a route (a link, reload, back/forward) to the stores that own the state it names: the Logs, Runs and
 * Checkpoints filters and the open month. Stores write the URL when the user changes them; this reads it back,
 * validating each parameter with the contract's own query schema (an invalid one is ignored, not sent).
 */
import { z } from 'zod'
import { LogQuery } from '../../src-shared/contract'
import { CheckpointQuery, RunListQuery } from '../../src-shared/history'
import { setCheckpointFilters, useCheckpoints } from './checkpoints-store'
import { showExplain } from './explain-store'
import { setRunFilters, useRunList } from './history-store'
import { setFilters, useLogs } from './logs-store'
import { selectMonth, useMonths } from './months-store'
import type { FiltersOf } from './paged-store'
import type { Route } from './view-store'

/** The filters a route's params name, each checked against the query schema's field of that name. */
export function filtersOf<Q extends z.ZodObject<z.ZodRawShape>>(
  query: Q,
  params: Readonly<Record<string, string>>,
): FiltersOf<z.infer<Q>> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(params)) {
    const field = query.shape[key]
    if (key === 'before' || key === 'limit' || !field || value === '') continue
    const parsed = z.safeParse(field, value)
    if (parsed.success && parsed.data !== undefined) out[key] = parsed.data
  }
  return out as FiltersOf<z.infer<Q>>
}

/** Equal filters, unset and empty alike. */
export function sameFilters(a: object, b: object): boolean {
  const norm = (f: object) =>
    JSON.stringify(
      Object.entries(f)
        .filter(([, v]) => v !== undefined && v !== '')
        .sort(([x], [y]) => x.localeCompare(y)),
    )
  return norm(a) === norm(b)
}

export const logFiltersOf = (params: Readonly<Record<string, string>>) => filtersOf(LogQuery, params)

export function applyRoute(route: Route): void {
  if (route.view === 'logs') {
    const filters = logFiltersOf(route.params)
    if (!sameFilters(filters, useLogs.getState().filters)) void setFilters(filters, { fromUrl: true })
  }
  if (route.view === 'runs' && !route.runId) {
    const filters = filtersOf(RunListQuery, route.params)
    if (!sameFilters(filters, useRunList.getState().filters)) void setRunFilters(filters, { fromUrl: true })
  }
  if (route.view === 'checkpoints') {
    const filters = filtersOf(CheckpointQuery, route.params)
    if (!sameFilters(filters, useCheckpoints.getState().filters))
      void setCheckpointFilters(filters, { fromUrl: true })
  }
  if (route.view === 'months' && useMonths.getState().selected !== route.month) selectMonth(route.month)
  if (route.view === 'explain') showExplain(route.params)
}
