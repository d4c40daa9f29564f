import type { ApiClient } from '../api/client'
import { notifyJob, notifyRecords } from '../lib/notify'
import { refreshCheckpoints } from './checkpoints-store'
import { loadDbInfo, setDbConnection, setLink } from './connection-store'
import { receiveExportProgress } from './export-store'
import { refreshHistory } from './history-store'
import { loadFacets, loadFirstPage, receiveGap, receiveLogs } from './logs-store'
import { loadMonths, setMonths } from './months-store'
import { refreshOverview } from './overview-store'
import { loadOverview, loadSnapshot, receiveJob, receiveRunEvents, setOverview, useRuns } from './runs-store'
import { loadSettings, useSettings } from './settings-store'
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
    loadSettings(),
  ])
  // The open view's own data (a view loads on mount too; this covers a reconnect or a database switch).
  refreshHistory()
  refreshCheckpoints()
  refreshOverview()
}

const notificationsOn = () => useSettings.getState().settings?.notifications === true

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
    client.on('months:changed', (months) => {
      setMonths(months)
      refreshOverview()
    }),
    client.on('runs:changed', (overview) => {
      const before = useRuns.getState().overview.active
      setOverview(overview)
      notifyRecords(before, overview.recent, notificationsOn())
      void loadFacets()
      refreshHistory()
      refreshOverview()
    }),
    client.on('ops:changed', ({ table }) => {
      if (table === 'pipeline_checkpoint') {
        refreshCheckpoints()
        refreshHistory()
        refreshOverview()
      }
    }),
    client.on('run:events', receiveRunEvents),
    client.on('job:changed', (job) => {
      receiveJob(job)
      notifyJob(job, notificationsOn())
      if (job.status !== 'running') void loadSetupStatus()
    }),
    client.on('log:records', receiveLogs),
    client.on('log:gap', receiveGap),
    client.on('setup:progress', applySetupProgress),
    client.on('export:progress', receiveExportProgress),
  ]
  return () => {
    for (const stop of stops) stop()
  }
}
