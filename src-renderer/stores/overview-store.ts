import { create } from 'zustand'
import type { FixAction, Overview } from '../../src-shared/overview'
import { messageOf } from '../api/client'
import { api } from '../api/instance'
import { startRun, useRuns } from './runs-store'
import { loadSetupStatus } from './setup-store'
import { useView } from './view-store'

interface OverviewState {
  overview: Overview | null
  error: string | null
  /** The fix or breaker action in flight. */
  busy: FixAction | 'breaker' | null
  actionError: string | null
  /** The job a fix button started, so its outcome (failed too) is reported here. */
  fixJobId: string | null
}

export const useOverview = create<OverviewState>()(() => ({
  overview: null,
  error: null,
  busy: null,
  actionError: null,
  fixJobId: null,
}))

export async function loadOverview(): Promise<void> {
  try {
    useOverview.setState({ overview: await api().request('overview:get'), error: null })
  } catch (error) {
    useOverview.setState({ error: messageOf(error) })
  }
}

let timer: ReturnType<typeof setTimeout> | undefined

/** Something the Overview summarises changed: re-read it while the view is open (coalesced, ≤ 1 per 2 s). */
export function refreshOverview(): void {
  if (useView.getState().view !== 'overview' || timer) return
  timer = setTimeout(() => {
    timer = undefined
    void loadOverview()
  }, 2000)
}

async function busy(kind: OverviewState['busy'], fn: () => Promise<unknown>): Promise<void> {
  useOverview.setState({ busy: kind, actionError: null })
  try {
    await fn()
  } catch (error) {
    useOverview.setState({ actionError: messageOf(error) })
  } finally {
    useOverview.setState({ busy: null })
    await Promise.all([loadOverview(), loadSetupStatus()])
  }
}

/** The button next to a missing or empty layer: the console's equivalent of the CLI command. */
export function runFix(action: FixAction): Promise<void> {
  return busy(action, async () => {
    if (action === 'init') await api().request('setup:init')
    else if (action === 'demo') await api().request('setup:demo', {})
    else if (action === 'silver') await api().request('setup:silver')
    else if (!(await startRun({ pipeline: action, scope: { kind: 'pending' }, force: false })))
      throw new Error(useRuns.getState().error ?? 'the run did not start')
    else useOverview.setState({ fixJobId: useRuns.getState().job?.jobId ?? null })
  })
}

export function resetBreaker(): Promise<void> {
  return busy('breaker', () => api().request('breaker:reset'))
}
