/**
 * Desktop notifications for runs that need attention, opt-in in Settings. The Notifications API is the browser
 * twin's; in the desktop app Electron routes the same API to the operating system's notifications.
 */
import type { JobSnapshot } from '../../src-shared/contract'
import type { RunRecord } from '../../src-shared/pipeline'

type Permission = 'granted' | 'denied' | 'default' | 'unsupported'

export function notificationPermission(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission
}

/** Asks the user (once) whether the console may notify; true when it may. */
export async function askNotificationPermission(): Promise<boolean> {
  if (typeof Notification === 'undefined') return false
  if (Notification.permission === 'granted') return true
  return (await Notification.requestPermission()) === 'granted'
}

/** What a finished run that needs attention says; null when it does not need any. */
export function attentionOf(
  status: string,
  pipeline: string,
  error: string | null,
): { title: string; body: string } | null {
  if (status !== 'failed' && status !== 'interrupted') return null
  const what = pipeline === 'monthly' ? 'Monthly' : pipeline === 'reliable' ? 'Reliable' : pipeline
  return {
    title: `Assay: ${what} run ${status === 'failed' ? 'failed' : 'was interrupted'}`,
    body: error ?? 'Open the console to see which month or stage, and why.',
  }
}

function show(note: { title: string; body: string }, tag: string): void {
  if (notificationPermission() !== 'granted') return
  // The tag makes a repeated event (a reconnect replaying a snapshot) replace, not stack, its notification.
  new Notification(note.title, { body: note.body, tag })
}

const seen = new Set<string>()

/** A job of this console changed: notify once when it ends needing attention. */
export function notifyJob(job: JobSnapshot, enabled: boolean): void {
  if (!enabled || job.status === 'running' || seen.has(job.jobId)) return
  seen.add(job.jobId)
  // This console's own runs also arrive as run records (notifyRecords): one notification per run, whichever
  // event reports it first.
  const already = job.runs.some((r) => seen.has(r.runId))
  for (const r of job.runs) seen.add(r.runId)
  if (already) return
  const run = job.runs.find((r) => r.status === 'failed') ?? job.runs[job.runs.length - 1]
  const note = attentionOf(job.status, run?.pipeline ?? job.options.pipeline, job.error ?? run?.error ?? null)
  if (note) show(note, job.jobId)
}

/** Runs recorded by anyone (e.g. the CLI): notify once for each that ended needing attention while we watched. */
export function notifyRecords(
  before: readonly RunRecord[],
  after: readonly RunRecord[],
  enabled: boolean,
): void {
  if (!enabled) return
  for (const run of after) {
    if (seen.has(run.runId) || !before.some((b) => b.runId === run.runId && b.status === 'running')) continue
    const note = attentionOf(run.status, run.pipeline, run.error)
    if (note) {
      seen.add(run.runId)
      show(note, run.runId)
    }
  }
}
