import { describe, expect, it } from 'vitest'
import { formatBound, parseBound } from './local-time'

const local = (...parts: [number, number, number, number?, number?]) =>
  new Date(parts[0], parts[1] - 1, parts[2], parts[3] ?? 0, parts[4] ?? 0).toISOString()

describe('ISO filter bounds', () => {
  it('reads yyyy-mm-dd and yyyy-mm-dd HH:MM as local time, whatever the locale', () => {
    expect(parseBound('2024-05-01 09:30', 'from')).toEqual({ ok: true, iso: local(2024, 5, 1, 9, 30) })
    expect(parseBound('2024-05-01T09:30', 'to')).toEqual({ ok: true, iso: local(2024, 5, 1, 9, 30) })
    expect(parseBound(' 2024-05-01 ', 'from')).toEqual({ ok: true, iso: local(2024, 5, 1) })
    expect(parseBound('', 'to')).toEqual({ ok: true, iso: undefined })
  })

  it('takes a date alone as the whole day: From its start, To (exclusive) the next midnight', () => {
    expect(parseBound('2024-02-29', 'to')).toEqual({ ok: true, iso: local(2024, 3, 1) })
    expect(parseBound('2024-12-31', 'to')).toEqual({ ok: true, iso: local(2025, 1, 1) })
  })

  it('says what is wrong with text that is not an ISO date and time', () => {
    expect(parseBound('05/01/2024', 'from')).toEqual({
      ok: false,
      error: '"05/01/2024" is not yyyy-mm-dd or yyyy-mm-dd HH:MM (e.g. 2024-05-01 09:30)',
    })
    expect(parseBound('2023-02-29', 'from')).toEqual({
      ok: false,
      error: '2023-02-29 is not a date on the calendar',
    })
    expect(parseBound('2024-13-01', 'from')).toEqual({
      ok: false,
      error: '2024-13-01 is not a date on the calendar',
    })
    expect(parseBound('2024-05-01 24:00', 'to')).toEqual({
      ok: false,
      error: '24:00 is not a time of day (00:00 to 23:59)',
    })
    expect(parseBound('2024-05-01 9:30', 'from').ok).toBe(false)
  })

  it('writes an instant back as the text that reads to it', () => {
    for (const [text, end] of [
      ['2024-05-01', 'from'],
      ['2024-05-01', 'to'],
      ['2024-05-01 09:30', 'from'],
      ['2024-05-01 00:00', 'from'],
      ['2024-05-01 23:59', 'to'],
    ] as const) {
      const parsed = parseBound(text, end)
      if (!parsed.ok) throw new Error(parsed.error)
      expect(parseBound(formatBound(parsed.iso, end), end)).toEqual(parsed)
    }
    expect(formatBound(local(2024, 5, 2), 'to')).toBe('2024-05-01')
    expect(formatBound(local(2024, 5, 2), 'from')).toBe('2024-05-02')
    expect(formatBound(undefined, 'from')).toBe('')
  })
})
