import { describe, expect, it } from 'vitest'
import type { ExplainTarget } from '../../../src-shared/explain'
import { targetOf, targetParams } from '../../stores/explain-store'
import { bronzeOf, crumbs, silverOf } from './explain-model'

const month: ExplainTarget = { level: 'breakdown', of: 'month', month: '2011-03', by: 'product' }

describe('explain links', () => {
  it('a level goes to the URL and back unchanged, and the trail links every level above it', () => {
    const silver = silverOf(month, '85123A')
    const bronze = bronzeOf(silver, { day: '2011-03-04', stockCode: '85123A', country: 'France' })
    expect(targetOf(targetParams(bronze))).toEqual({ target: bronze, error: null })
    expect(crumbs(bronze).map((c) => c.target)).toEqual([
      month,
      { level: 'silver', of: 'month', month: '2011-03', by: 'product', product: '85123A' },
      bronze,
    ])
  })

  it('a link that misses what its level needs is refused with the reason, not sent', () => {
    expect(targetOf({ level: 'silver', of: 'country', country: 'France', by: 'product' })).toEqual({
      target: null,
      error: expect.stringMatching(/needs the product/),
    })
    expect(targetOf({ level: 'breakdown', of: 'month', month: '2011-3x', by: 'country' }).error).toMatch(
      /not a month/,
    )
  })
})
