import { describe, expect, it } from 'vitest'
import type { JobSnapshot } from '../../../src-shared/contract'
import { jobSnapshot } from '../../../src-shared/run-progress.fixture'
import { missingText, revenueGroups } from '../overview/revenue-panel'
import { startedMessage } from './months-view'

const job = (status: JobSnapshot['status']): JobSnapshot =>
  jobSnapshot({
    options: { pipeline: 'monthly', scope: { kind: 'month', year: 2011, month: 9 }, force: false },
    status,
  })

describe('stale feedback', () => {
  it('"Run of 2011-09 started; its cell updates live" gives way to the run’s outcome', () => {
    const started = { monthKey: '2011-09', jobId: 'j1', force: false }
    expect(startedMessage(started, job('running'), '2011-09')).toContain('started; its cell updates live')
    expect(startedMessage(started, job('failed'), '2011-09')).toBe(
      'Run of 2011-09 failed: see the error above.',
    )
    expect(startedMessage(started, job('completed'), '2011-09')).toBe('Run of 2011-09 completed.')
    expect(startedMessage(started, job('failed'), '2011-08')).toBeNull()
  })
})

describe('overview revenue', () => {
  const month = (key: string) => {
    const [year, m] = key.split('-').map(Number) as [number, number]
    return {
      monthKey: key,
      year,
      month: m,
      revenue: '10',
      quantity: 1,
      transactions: 1,
      silverRevenue: '10',
      silverQuantity: 1,
      silverTransactions: 1,
      reconciled: true,
    }
  }

  it('leaves a gap for a month missing from gold instead of skipping it', () => {
    const groups = revenueGroups([month('2011-08'), month('2011-10')], ['2011-09'])
    expect(groups.map((g) => [g.key, g.values[0]])).toEqual([
      ['2011-08', 10],
      ['2011-09', null],
      ['2011-10', 10],
    ])
  })

  it('does not promise the monthly pipeline picks up a failed month', () => {
    const lines = missingText(['2011-09', '2011-12'], (k) => (k === '2011-09' ? 'failed' : 'pending'))
    expect(lines[0]).toMatch(/^Failed, not in gold: 2011-09/)
    expect(lines[0]).not.toContain('picks them up')
    expect(lines[1]).toContain('2011-12')
  })
})
