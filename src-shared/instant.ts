/**
 * The one date-time format filters accept: ISO 8601, `YYYY-MM-DD`, optionally `THH:MM[:SS[.ffffff]]` (a space
 * may stand for the T) and a zone (`Z` or `±HH[:MM]`); without a zone the instant is read as UTC. Being
 * unambiguous, PostgreSQL reads it the same under any DateStyle, so a count, a page and an export of one filter
 * agree — where `Date.parse` let `12/03/26` through, read differently by MDY and YMD sessions, and let
 * `2011-02-30` reach the database as an error. No Node or DOM imports.
 */
import { z } from 'zod'

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(Z|[+-](\d{2})(?::?(\d{2}))?)?)?$/

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** Whether `text` is an ISO 8601 date or date-time that names a real instant. */
export function isInstant(text: string): boolean {
  const m = ISO.exec(text)
  if (!m) return false
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)) return false
  if (m[8] !== undefined && (Number(m[8]) > 15 || Number(m[9] ?? 0) > 59)) return false
  return true
}

export const INSTANT_HINT = 'an ISO 8601 date-time such as 2011-12-03 or 2011-12-03T10:15:00Z'

/** A filter's instant, validated at the edge. */
export const Instant = z
  .string()
  .max(40)
  .refine(isInstant, { message: `must be ${INSTANT_HINT}` })
