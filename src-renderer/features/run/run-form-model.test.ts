import { describe, expect, it } from 'vitest'
import { EMPTY_RUN_FORM, toResetScope, toRunOptions } from './run-form-model'

describe('run form validation', () => {
  it('turns each scope into the request, and ignores the scope for the reliable pipeline', () => {
    expect(toRunOptions({ ...EMPTY_RUN_FORM, scope: 'year', year: ' 2011 ' })).toEqual({
      ok: true,
      value: { pipeline: 'monthly', scope: { kind: 'year', year: 2011 }, force: false },
    })
    expect(
      toRunOptions({ ...EMPTY_RUN_FORM, scope: 'range', from: '2011-01', to: '2011-3', force: true }),
    ).toMatchObject({
      ok: true,
      value: {
        scope: { kind: 'range', from: { year: 2011, month: 1 }, to: { year: 2011, month: 3 } },
        force: true,
      },
    })
    expect(
      toRunOptions({ ...EMPTY_RUN_FORM, pipeline: 'reliable', scope: 'month', month: 'garbage' }),
    ).toMatchObject({
      ok: true,
      value: { scope: { kind: 'pending' } },
    })
  })

  it('says exactly what is wrong, on the field it is about', () => {
    expect(toRunOptions({ ...EMPTY_RUN_FORM, scope: 'month', month: '2011-13' })).toEqual({
      ok: false,
      field: 'month',
      message: 'month 2011-13 is not a month (months are 01–12)',
    })
    expect(toRunOptions({ ...EMPTY_RUN_FORM, scope: 'month', month: '' })).toMatchObject({
      field: 'month',
      message: 'enter a month as YYYY-MM, e.g. 2011-03',
    })
    expect(toRunOptions({ ...EMPTY_RUN_FORM, scope: 'year', year: '20x1' })).toMatchObject({
      field: 'year',
      message: '"20x1" is not a year (expected four digits, e.g. 2011)',
    })
    expect(toRunOptions({ ...EMPTY_RUN_FORM, scope: 'year', year: '1899' })).toMatchObject({
      field: 'year',
      message: 'year 1899: year must be 1990 or later',
    })
    expect(toRunOptions({ ...EMPTY_RUN_FORM, scope: 'range', from: '2011-06', to: '2011-01' })).toMatchObject(
      {
        field: 'to',
        message: 'the range starts after it ends (from must be on or before to)',
      },
    )
    expect(toRunOptions({ ...EMPTY_RUN_FORM, scope: 'range', from: '2011/06', to: '2011-01' })).toMatchObject(
      {
        field: 'from',
        message: '"2011/06" is not a month (expected YYYY-MM, e.g. 2011-03)',
      },
    )
  })

  it('validates reset scopes the same way', () => {
    expect(toResetScope('all', '', '')).toEqual({ ok: true, value: { kind: 'all' } })
    expect(toResetScope('month', '', '2011-02')).toEqual({
      ok: true,
      value: { kind: 'month', year: 2011, month: 2 },
    })
    expect(toResetScope('year', 'abcd', '')).toMatchObject({ ok: false, field: 'year' })
  })
})
