import { describe, expect, it } from 'vitest'
import { localizeInstants, zoneLabel } from './format'

describe('format', () => {
  it('names the local zone beside zone-less local timestamps', () => {
    const at = (offset: number) => ({ getTimezoneOffset: () => offset }) as Date
    expect(zoneLabel(at(-60))).toBe('UTC+01:00')
    expect(zoneLabel(at(330))).toBe('UTC−05:30')
    expect(zoneLabel(at(0))).toBe('UTC+00:00')
  })

  it('shows an ISO instant inside a message as a local time, not raw UTC', () => {
    const text = localizeInstants('circuit open: not trying again until 2026-01-01T10:00:30.000Z')
    expect(text).not.toContain('T10:00:30.000Z')
    expect(text).toMatch(/until \d\d:\d\d:30$/)
  })
})
