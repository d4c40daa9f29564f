import { describe, expect, it } from 'vitest'
import { describeIssues, isRequestName, LogQuery, RunOptions, requestNames } from './contract.js'

function issue(schema: { safeParse: (v: unknown) => { success: boolean; error?: unknown } }, value: unknown) {
  const result = schema.safeParse(value)
  if (result.success) throw new Error('expected a failure')
  return describeIssues(result.error as Parameters<typeof describeIssues>[0])
}

describe('contract', () => {
  it('describes validation failures in the schema’s own words, else with the field path', () => {
    const scope = (s: unknown) => ({ pipeline: 'monthly', scope: s, force: false })
    expect(issue(RunOptions, scope({ kind: 'month', year: 2011, month: 13 }))).toBe('month must be 1–12')
    expect(issue(RunOptions, scope({ kind: 'year', year: 1800 }))).toBe('year must be 1990 or later')
    expect(
      issue(
        RunOptions,
        scope({ kind: 'range', from: { year: 2011, month: 6 }, to: { year: 2011, month: 1 } }),
      ),
    ).toBe('the range starts after it ends (from must be on or before to)')
    expect(issue(RunOptions, { pipeline: 'weekly', scope: { kind: 'pending' }, force: false })).toMatch(
      /^pipeline: /,
    )
    expect(issue(LogQuery, { limit: 0 })).toMatch(/^limit: /)
  })

  it('knows its request names', () => {
    expect(requestNames).toContain('runs:start')
    expect(isRequestName('runs:start')).toBe(true)
    expect(isRequestName('toString')).toBe(false)
    expect(isRequestName(42)).toBe(false)
  })
})
