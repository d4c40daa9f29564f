import { describe, expect, it } from 'vitest'
import { EMPTY_SET, pick, setScope } from './month-set'

const ORDER = ['2010-12', '2011-01', '2011-02', '2011-03', '2011-04']

describe('month set', () => {
  it('click picks one, ctrl toggles, shift picks the span from the anchor (either direction)', () => {
    let set = pick(EMPTY_SET, '2011-03', 'one', ORDER)
    expect([...set.picked]).toEqual(['2011-03'])
    set = pick(set, '2010-12', 'span', ORDER)
    expect([...set.picked]).toEqual(['2010-12', '2011-01', '2011-02', '2011-03'])
    set = pick(set, '2011-01', 'toggle', ORDER)
    expect([...set.picked].sort()).toEqual(['2010-12', '2011-02', '2011-03'])
    set = pick(set, '2011-04', 'toggle', ORDER)
    expect(set.picked.has('2011-04')).toBe(true)
  })

  it('is a run and reset scope of sorted months', () => {
    expect(setScope(new Set(['2011-02', '2010-12']))).toEqual({
      kind: 'months',
      months: [
        { year: 2010, month: 12 },
        { year: 2011, month: 2 },
      ],
    })
  })
})
