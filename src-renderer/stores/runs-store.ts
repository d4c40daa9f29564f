import { create } from 'zustand'
import type { DryRun, JobSnapshot, RunOptions, RunsOverview } from '../../src-shared/contract'
import type { RunEvent } from '../../src-shared/pipeline'
import { applyJobEvents, mergeJob } from '../../src-shared/run-progress'
import { messageOf } from '../api/client'
import { api } from '../api/instance'
import { setScope } from './month-set'

interface RunsState {
  /** This console's current or last job, kept live from run events. */
  job: JobSnapshot | null
  /** Runs in ops.pipeline_runs from anywhere (CLI, other consoles). */
  overview: RunsOverview
  /** The last dry-run and the options it was for. */
  dryRun: { options: RunOptions; result: DryRun } | null
  pending: 'plan' | 'start' | 'cancel' | null
  error: string | null
}

export const useRuns = create<RunsState>()(() => ({
  job: null,
  overview: { active: [], recent: [] },
  dryRun: null,
  pending: null,
  error: null,
}))

export async function loadSnapshot(): Promise<void> {
  try {
    const snapshot = await api().request('runs:snapshot')
    // No job on the host (e.g. after a switch of database): nothing of another database's last run stays.
    if (snapshot) receiveJob(snapshot)
    else useRuns.setState({ job: null })
  } catch (error) {
    useRuns.setState({ error: messageOf(error) })
  }
}

export async function loadOverview(): Promise<void> {
  try {
    useRuns.setState({ overview: await api().request('runs:active') })
  } catch {
    // The banner reports an unreachable database; the overview refreshes when it returns.
  }
}

export function setOverview(overview: RunsOverview): void {
  useRuns.setState({ overview })
}

export function receiveJob(snapshot: JobSnapshot): void {
  useRuns.setState((s) => ({ job: mergeJob(s.job, snapshot) }))
}

/** Applies pushed events; an event of a run this renderer never saw start means it missed some: re-fetch. */
export function receiveRunEvents(events: RunEvent[]): void {
  const job = useRuns.getState().job
  if (!job) {
    void loadSnapshot()
    return
  }
  const result = applyJobEvents(job, events)
  if (result.job !== job) useRuns.setState({ job: result.job })
  if (result.missed) void loadSnapshot()
}

async function pending<T>(kind: RunsState['pending'], fn: () => Promise<T>): Promise<T | undefined> {
  useRuns.setState({ pending: kind, error: null })
  try {
    return await fn()
  } catch (error) {
    useRuns.setState({ error: messageOf(error) })
    return undefined
  } finally {
    useRuns.setState({ pending: null })
  }
}

/** Previews a run: the plan and the exact gold diff; nothing is written. */
export async function planRun(options: RunOptions): Promise<void> {
  useRuns.setState({ dryRun: null })
  const result = await pending('plan', () => api().request('months:plan', options))
  if (result) useRuns.setState({ dryRun: { options, result } })
}

export async function startRun(options: RunOptions): Promise<boolean> {
  useRuns.setState({ dryRun: null })
  const started = await pending('start', () => api().request('runs:start', options))
  if (started) await loadSnapshot()
  return started !== undefined
}

/** Processes exactly these months again (e.g. only the failed ones of a run), as one monthly run. */
export function rerunMonths(keys: readonly string[]): Promise<boolean> {
  return startRun({ pipeline: 'monthly', scope: setScope(new Set(keys)), force: false })
}

export async function cancelRun(): Promise<void> {
  const job = useRuns.getState().job
  if (!job) return
  await pending('cancel', () => api().request('runs:cancel', { jobId: job.jobId }))
}

/** The database changed: the last job, the preview and any error were about the other one. */
export function forgetRuns(): void {
  useRuns.setState({ job: null, dryRun: null, error: null, overview: { active: [], recent: [] } })
}

/** The run form changed: a preview (and its "Run this plan") no longer describes what Run would do. */
export function dropDryRun(): void {
  if (useRuns.getState().dryRun) useRuns.setState({ dryRun: null })
}

export function clearRunError(): void {
  useRuns.setState({ error: null })
}

/** True while this console's job or any recorded run is running. */
export function selectRunActive(s: RunsState): boolean {
  return s.job?.status === 'running' || s.overview.active.length > 0
}
