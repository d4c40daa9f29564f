import { describe, expect, it } from 'vitest'
import { Instant, isInstant } from './instant.js'

describe('filter instants (ISO 8601 only)', () => {
  it('accepts dates, date-times, fractions and explicit zones', () => {
    for (const ok of [
      '2011-12-03',
      '2011-12-03T10:15',
      '2011-12-03 10:15:30',
      '2011-12-03T10:15:30.123456',
      '2011-12-03T10:15:30Z',
      '2011-12-03T10:15:30+01:00',
      '2011-12-03T10:15:30-0530',
      '2012-02-29',
    ])
      expect(isInstant(ok), ok).toBe(true)
  })
  it('refuses ambiguous, impossible and non-ISO dates', () => {
    for (const bad of [
      '12/03/26',
      '03.12.2011',
      '2011-02-30',
      '2011-02-29',
      '2011-13-01',
      '2011-12-03T24:00',
      '2011-12-03T10:60',
      'Dec 3 2011',
      '2011-12-03T10:15:30+25:00',
      '',
      '2011-12-03\u0000',
    ])
      expect(isInstant(bad), bad).toBe(false)
    expect(Instant.safeParse('12/03/26').error?.issues[0]?.message).toBe(
      'must be an ISO 8601 date-time such as 2011-12-03 or 2011-12-03T10:15:00Z',
    )
  })
})
