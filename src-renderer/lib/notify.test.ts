import { afterEach, describe, expect, it, vi } from 'vitest'
import type { JobSnapshot } from '../../src-shared/contract'
import { attentionOf, notifyJob } from './notify'

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
    const shown: string[] = []
    class FakeNotification {
      static permission = 'granted'
      constructor(title: string) {
        shown.push(title)
      }
    }
    vi.stubGlobal('Notification', FakeNotification)
    notifyJob(job('failed', 'a'), false)
    notifyJob(job('running', 'b'), true)
    notifyJob(job('failed', 'b'), true)
    notifyJob(job('failed', 'b'), true)
    notifyJob(job('completed', 'c'), true)
    expect(shown).toEqual(['Assay: Monthly run failed'])
  })
})
