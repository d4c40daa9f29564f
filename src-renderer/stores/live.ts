import type { ApiClient } from '../api/client'
import { loadDbInfo, setDbConnection, setLink } from './connection-store'
import { loadFacets, loadFirstPage, receiveLogs } from './logs-store'
import { loadMonths, setMonths } from './months-store'
import { loadOverview, loadSnapshot, receiveJob, receiveRunEvents, setOverview } from './runs-store'
import { applySetupProgress, loadSetupStatus } from './setup-store'

/** Everything a view shows, fetched again after (re)connecting: events only carry changes from then on. */
export async function loadAll(): Promise<void> {
  await loadDbInfo()
  await Promise.all([
    loadSetupStatus(),
    loadMonths(),
    loadSnapshot(),
    loadOverview(),
    loadFirstPage(),
    loadFacets(),
  ])
}

/** Routes the host's events into the stores. The one place that subscribes. */
export function startLive(client: ApiClient): () => void {
  let wasUp = true
  const stops = [
    client.onLink((link) => {
      setLink(link)
      if (link.state === 'open') void loadAll()
    }),
    client.on('db:connection', (state) => {
      setDbConnection(state)
      if (state.ok && !wasUp) void loadAll()
      wasUp = state.ok
    }),
    client.on('months:changed', setMonths),
    client.on('runs:changed', (overview) => {
      setOverview(overview)
      void loadFacets()
    }),
    client.on('run:events', receiveRunEvents),
    client.on('job:changed', (job) => {
      receiveJob(job)
      if (job.status !== 'running') void loadSetupStatus()
    }),
    client.on('log:records', receiveLogs),
    client.on('setup:progress', applySetupProgress),
  ]
  return () => {
    for (const stop of stops) stop()
  }
}
