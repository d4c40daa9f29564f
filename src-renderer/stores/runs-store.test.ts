import { beforeEach, describe, expect, it } from 'vitest'
import { AT, jobSnapshot } from '../../src-shared/run-progress.fixture'
import { type FakeClient, fakeClient } from '../api/fake-client'
import { setApiClient } from '../api/instance'
import { editRunForm, submitRunForm, useRunForm } from './run-form-store'
import {
  cancelRun,
  loadSnapshot,
  receiveJob,
  receiveRunEvents,
  selectRunActive,
  startRun,
  useRuns,
} from './runs-store'

const at = AT
const job = jobSnapshot()

describe('runs store', () => {
  let client: FakeClient
  beforeEach(() => {
    client = fakeClient()
    setApiClient(client)
    useRuns.setState({
      job: null,
      overview: { active: [], recent: [] },
      dryRun: null,
      pending: null,
      error: null,
    })
    useRunForm.setState({ form: useRunForm.getInitialState().form, invalid: null })
  })

  it('shows the host’s message inline when a run cannot start', async () => {
    client.fail('runs:start', 'month_locked', 'a run is already active on 2011-03 from host build-7')
    expect(await startRun({ pipeline: 'monthly', scope: { kind: 'pending' }, force: false })).toBe(false)
    expect(useRuns.getState()).toMatchObject({
      error: 'a run is already active on 2011-03 from host build-7',
      pending: null,
    })
  })

  it('applies pushed events to the job and fetches a snapshot when it missed a run’s start', async () => {
    receiveJob(job)
    receiveRunEvents([
      {
        type: 'run.started',
        runId: 'r1',
        seq: 1,
        at,
        pipeline: 'monthly',
        planned: ['2011-01'],
        dryRun: false,
      },
      { type: 'unit.started', runId: 'r1', seq: 2, at, unit: '2011-01', attempt: 1 },
    ])
    expect(useRuns.getState().job?.runs[0]?.units[0]?.state).toBe('running')
    expect(selectRunActive(useRuns.getState())).toBe(true)
    client.answer('runs:snapshot', job)
    receiveRunEvents([{ type: 'unit.started', runId: 'r-unknown', seq: 9, at, unit: 'x', attempt: 1 }])
    expect(client.calls.map((c) => c.name)).toContain('runs:snapshot')
  })

  it('cancels the current job by id', async () => {
    receiveJob(job)
    client.answer('runs:cancel', { cancelled: true })
    await cancelRun()
    expect(client.calls).toEqual([{ name: 'runs:cancel', input: { jobId: 'j1' } }])
  })

  it('validates the form before sending anything', async () => {
    editRunForm({ scope: 'month', month: '2011-13' })
    await submitRunForm('run')
    expect(useRunForm.getState().invalid).toEqual({
      field: 'month',
      message: 'month 2011-13 is not a month (months are 01–12)',
    })
    expect(client.calls).toHaveLength(0)
    editRunForm({ month: '2011-03' })
    client.answer('months:plan', { monthly: { items: [], skipped: [] }, reliable: null })
    await submitRunForm('dry-run')
    expect(client.calls[0]).toEqual({
      name: 'months:plan',
      input: { pipeline: 'monthly', scope: { kind: 'month', year: 2011, month: 3 }, force: false },
    })
    expect(useRuns.getState().dryRun?.result.monthly?.items).toEqual([])
  })

  it('drops a dry-run preview (and its "Run this plan") as soon as the form changes', async () => {
    client.answer('months:plan', { monthly: { items: [], skipped: [] }, reliable: null })
    editRunForm({ scope: 'month', month: '2011-03' })
    await submitRunForm('dry-run')
    expect(useRuns.getState().dryRun).not.toBeNull()
    editRunForm({ month: '2011-04' })
    expect(useRuns.getState().dryRun).toBeNull()
  })

  it('forgets the last run when the host has none (a switch of database)', async () => {
    receiveJob({ ...job, status: 'completed' })
    client.answer('runs:snapshot', null)
    await loadSnapshot()
    expect(useRuns.getState().job).toBeNull()
  })
})
