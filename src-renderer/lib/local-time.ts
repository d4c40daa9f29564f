/**
 * Filter bounds typed as ISO local date/time ("2024-05-01" or "2024-05-01 09:30"), the way the tables show them,
 * whatever the browser's locale. The filters themselves travel as UTC instants.
 */

/** Which end of a range a bound is: a date alone means the start of that day for From and its end for To. */
export type BoundEnd = 'from' | 'to'

export type ParsedBound = { ok: true; iso: string | undefined } | { ok: false; error: string }

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?$/

export const BOUND_FORMAT = 'yyyy-mm-dd or yyyy-mm-dd HH:MM'

const pad = (n: number) => String(n).padStart(2, '0')

/** The typed text as a UTC instant; empty text is an open end. */
export function parseBound(text: string, end: BoundEnd): ParsedBound {
  const trimmed = text.trim()
  if (!trimmed) return { ok: true, iso: undefined }
  const m = SHAPE.exec(trimmed)
  if (!m) return { ok: false, error: `"${trimmed}" is not ${BOUND_FORMAT} (e.g. 2024-05-01 09:30)` }
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(year, month - 1, day)
  if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day)
    return { ok: false, error: `${m[1]}-${m[2]}-${m[3]} is not a date on the calendar` }
  if (m[4] === undefined) {
    // To is exclusive on the server: the end of a named day is the next midnight.
    if (end === 'to') date.setDate(date.getDate() + 1)
    return { ok: true, iso: date.toISOString() }
  }
  const [hours, minutes] = [Number(m[4]), Number(m[5])]
  if (hours > 23 || minutes > 59)
    return { ok: false, error: `${m[4]}:${m[5]} is not a time of day (00:00 to 23:59)` }
  date.setHours(hours, minutes)
  return { ok: true, iso: date.toISOString() }
}

/** A UTC instant as the text parseBound reads back to the same instant where it can (whole minutes). */
export function formatBound(iso: string | undefined, end: BoundEnd): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  const midnight =
    d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0 && d.getMilliseconds() === 0
  if (midnight && end === 'to') d.setDate(d.getDate() - 1)
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
  return midnight ? date : `${date} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}
