import { afterEach, describe, expect, it, vi } from 'vitest'
import type { JobSnapshot } from '../../src-shared/contract'
import { attentionOf, notifyJob, notifyRecords } from './notify'

const job = (status: JobSnapshot['status'], jobId: string): JobSnapshot => ({
  jobId,
  options: { pipeline: 'monthly', scope: { kind: 'pending' }, force: false },
  status,
  cancelRequested: false,
  startedAt: '2026-01-01T00:00:00Z',
  endedAt: null,
  error: '1 month failed: 2011-05',
  runs: [],
})

/** Stands in for the Notifications API (permission granted) and returns the titles shown. */
function recordNotifications(): string[] {
  const shown: string[] = []
  vi.stubGlobal(
    'Notification',
    class {
      static permission = 'granted'
      constructor(title: string) {
        shown.push(title)
      }
    },
  )
  return shown
}

describe('notifications', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('only failed and interrupted runs need attention', () => {
    expect(attentionOf('failed', 'monthly', 'boom')).toEqual({
      title: 'Assay: Monthly run failed',
      body: 'boom',
    })
    expect(attentionOf('interrupted', 'reliable', null)?.title).toBe('Assay: Reliable run was interrupted')
    expect(attentionOf('completed', 'monthly', null)).toBeNull()
    expect(attentionOf('cancelled', 'monthly', null)).toBeNull()
  })

  it('notifies once per failed job, only when opted in and permitted', () => {
    const shown = recordNotifications()
    notifyJob(job('failed', 'a'), false)
    notifyJob(job('running', 'b'), true)
    notifyJob(job('failed', 'b'), true)
    notifyJob(job('failed', 'b'), true)
    notifyJob(job('completed', 'c'), true)
    expect(shown).toEqual(['Assay: Monthly run failed'])
  })

  it('notifies once for a run of this console, whether its job or its run record reports the failure first', () => {
    const shown = recordNotifications()
    const progress = (runId: string) => ({
      runId,
      pipeline: 'monthly' as const,
      status: 'failed' as const,
      seq: 1,
      dryRun: false,
      startedAt: '2026-01-01T00:00:00Z',
      durationMs: 5,
      error: 'boom',
      units: [],
    })
    const record = (runId: string, status: 'running' | 'failed') =>
      ({ runId, pipeline: 'monthly', status, error: status === 'failed' ? 'boom' : null }) as never
    // The job first, then the record.
    notifyJob({ ...job('failed', 'j1'), runs: [progress('r1')] }, true)
    notifyRecords([record('r1', 'running')], [record('r1', 'failed')], true)
    // The record first, then the job.
    notifyRecords([record('r2', 'running')], [record('r2', 'failed')], true)
    notifyJob({ ...job('failed', 'j2'), runs: [progress('r2')] }, true)
    expect(shown).toEqual(['Assay: Monthly run failed', 'Assay: Monthly run failed'])
  })
})
