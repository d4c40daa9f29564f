import { describe, expect, it } from 'vitest'
import { breakerView } from './breaker-card'

describe('breaker card', () => {
  it('does not say "Closed — calls go through normally" while the database is unreachable', () => {
    const down = breakerView('closed', true)
    expect(down.shown).toBe('unknown')
    expect(down.text.help).not.toContain('go through normally')
    expect(breakerView('closed', false).text.help).toContain('go through normally')
    expect(breakerView('open', true).shown).toBe('open')
  })
})
