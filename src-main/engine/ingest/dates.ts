import type { DateLayout } from './types.js'

/**
 * Invoice dates as they circulate: `01/12/2010 8:26` (day first), `12/1/2010 8:26` (month first, also
 * with a 2-digit year or AM/PM as Excel's US locale writes them) and ISO `2010-12-01 08:26:00`.
 * Everything is turned into PostgreSQL's `YYYY-MM-DD HH:MM:SS` text for COPY.
 */
const SLASH =
  /^(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:\s*([AaPp])[Mm])?)?$/
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/

const MIN_YEAR = 1900
const MAX_YEAR = 2100

/** The layout a slash date proves: a first component above 12 means day-first, a second one month-first. */
export function layoutEvidence(text: string): DateLayout | undefined {
  const match = SLASH.exec(text)
  if (!match) return undefined
  const a = Number(match[1])
  const b = Number(match[2])
  if (a > 12 && b >= 1 && b <= 12) return 'dmy'
  if (b > 12 && a >= 1 && a <= 12) return 'mdy'
  return undefined
}

/** Whether a date can only be read once the layout is known (a slash date). */
export function needsLayout(text: string): boolean {
  return SLASH.test(text)
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

function compose(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): string | undefined {
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12) return undefined
  if (day < 1 || day > daysIn(year, month)) return undefined
  if (hour > 23 || minute > 59 || second > 59) return undefined
  return `${year}-${pad2(month)}-${pad2(day)} ${pad2(hour)}:${pad2(minute)}:${pad2(second)}`
}

/**
 * Parses a date in the given layout (slash dates) or ISO form. Returns `YYYY-MM-DD HH:MM:SS`, or
 * undefined when the text is not a real date in that layout (e.g. month 13).
 */
export function parseDate(text: string, layout: DateLayout): string | undefined {
  let match = SLASH.exec(text)
  if (match) {
    const a = Number(match[1])
    const b = Number(match[2])
    let year = Number(match[3])
    if (match[3]!.length === 2) year += year < 70 ? 2000 : 1900
    let hour = match[4] === undefined ? 0 : Number(match[4])
    const ampm = match[7]
    if (ampm) {
      if (hour < 1 || hour > 12) return undefined
      hour = (hour % 12) + (ampm === 'p' || ampm === 'P' ? 12 : 0)
    }
    const minute = match[5] === undefined ? 0 : Number(match[5])
    const second = match[6] === undefined ? 0 : Number(match[6])
    return layout === 'dmy'
      ? compose(year, b, a, hour, minute, second)
      : compose(year, a, b, hour, minute, second)
  }
  match = ISO.exec(text)
  if (match) {
    return compose(
      Number(match[1]),
      Number(match[2]),
      Number(match[3]),
      Number(match[4] ?? 0),
      Number(match[5] ?? 0),
      Number(match[6] ?? 0),
    )
  }
  return undefined
}

/** The year of a date-shaped text whose year is outside 1900–2100 (e.g. 9999), so the refusal can say so. */
export function yearOutOfRange(text: string): number | undefined {
  const slash = SLASH.exec(text)
  const year = slash ? (slash[3]!.length === 4 ? Number(slash[3]) : undefined) : Number(ISO.exec(text)?.[1])
  return year !== undefined && Number.isFinite(year) && (year < MIN_YEAR || year > MAX_YEAR)
    ? year
    : undefined
}

/**
 * An Excel date as exceljs gives it (a Date whose UTC fields are the sheet's wall-clock time), rounded to
 * the second: Excel stores times as fractions of a day, so 8:26 can arrive as 8:25:59.9996.
 */
export function formatExcelDate(date: Date): string | undefined {
  const ms = date.getTime()
  if (Number.isNaN(ms)) return undefined
  const d = new Date(Math.round(ms / 1000) * 1000)
  return compose(
    d.getUTCFullYear(),
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  )
}
