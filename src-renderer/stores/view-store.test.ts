import { describe, expect, it } from 'vitest'
import { parseHash } from './view-store'

describe('view hash', () => {
  it('maps hashes to views, a run detail to the Runs view, anything else to Overview', () => {
    expect(parseHash('#/logs')).toEqual({ view: 'logs', runId: null })
    expect(parseHash('#/runs/ab-12')).toEqual({ view: 'runs', runId: 'ab-12' })
    expect(parseHash('#/months/x')).toEqual({ view: 'months', runId: null })
    expect(parseHash('')).toEqual({ view: 'overview', runId: null })
    expect(parseHash('#/nope')).toEqual({ view: 'overview', runId: null })
  })
})
