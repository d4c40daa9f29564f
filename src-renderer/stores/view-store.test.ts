import { describe, expect, it } from 'vitest'
import { CheckpointQuery, RunListQuery } from '../../src-shared/history'
import { filtersOf, logFiltersOf, sameFilters } from './routes'
import { hrefOf, parseHash, toHash } from './view-store'

describe('view hash', () => {
  it('maps hashes to views, a run detail to the Runs view, anything else to Overview', () => {
    expect(parseHash('#/logs')).toMatchObject({ view: 'logs', runId: null, month: null, params: {} })
    expect(parseHash('#/runs/ab-12')).toMatchObject({ view: 'runs', runId: 'ab-12' })
    expect(parseHash('#/months/x')).toMatchObject({ view: 'months', runId: null, month: null })
    expect(parseHash('')).toMatchObject({ view: 'overview', runId: null })
    expect(parseHash('#/nope')).toMatchObject({ view: 'overview', runId: null })
  })

  it('keeps a month, filters and search text in the URL, and reads them back the same', () => {
    expect(parseHash('#/months/2011-09')).toMatchObject({ view: 'months', month: '2011-09' })
    const href = hrefOf({ view: 'logs', params: { level: 'ERROR', search: 'dépôt 🚚', runId: 'r 1' } })
    const route = parseHash(href)
    expect(route.params).toEqual({ level: 'ERROR', search: 'dépôt 🚚', runId: 'r 1' })
    expect(`#${toHash(route)}`).toBe(href)
    expect(logFiltersOf(route.params)).toEqual({ level: 'ERROR', search: 'dépôt 🚚', runId: 'r 1' })
    expect(logFiltersOf({ level: 'LOUD' })).toEqual({})
    expect(sameFilters({ search: '' }, {})).toBe(true)
  })

  it('reads Runs and Checkpoints filters with the contract’s schemas, ignoring invalid ones', () => {
    expect(filtersOf(RunListQuery, { status: 'failed', trigger: 'cli', limit: '5', bogus: 'x' })).toEqual({
      status: 'failed',
      trigger: 'cli',
    })
    expect(filtersOf(RunListQuery, { status: 'exploded' })).toEqual({})
    expect(filtersOf(CheckpointQuery, { stage: 'country_sales', from: 'not a date' })).toEqual({
      stage: 'country_sales',
    })
  })
})
