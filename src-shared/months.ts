/** Month keys ('YYYY-MM') and their arithmetic, shared by the engine and the console. */

export interface YearMonth {
  year: number
  month: number
}

export const MIN_YEAR = 1990
export const MAX_YEAR = 2100

export function monthKey({ year, month }: YearMonth): string {
  return `${year}-${String(month).padStart(2, '0')}`
}

/** Parses 'YYYY-MM'; returns an error message instead of throwing so both CLI and UI can show it. */
export function parseMonthKey(text: string): YearMonth | string {
  const match = /^(\d{4})-(\d{1,2})$/.exec(text.trim())
  if (!match) return `"${text}" is not a month (expected YYYY-MM, e.g. 2011-03)`
  const year = Number(match[1])
  const month = Number(match[2])
  if (month < 1 || month > 12) return `month ${text} is not a month (months are 01–12)`
  if (year < MIN_YEAR || year > MAX_YEAR) return `year ${year} is out of range (${MIN_YEAR}–${MAX_YEAR})`
  return { year, month }
}

/** yyyymm as an integer, the form `silver.fact_sales_daily.date_id / 100` takes. */
export function yyyymm({ year, month }: YearMonth): number {
  return year * 100 + month
}

export function compareMonths(a: YearMonth, b: YearMonth): number {
  return yyyymm(a) - yyyymm(b)
}

/** Every month from `from` to `to`, inclusive. */
export function monthRange(from: YearMonth, to: YearMonth): YearMonth[] {
  const out: YearMonth[] = []
  let { year, month } = from
  while (year * 100 + month <= yyyymm(to)) {
    out.push({ year, month })
    month++
    if (month > 12) {
      month = 1
      year++
    }
  }
  return out
}

/** The first and last date_id (yyyymmdd) of a month: a range an index on date_id can serve. */
export function dateIdRange({ year, month }: YearMonth): [number, number] {
  const base = year * 10000 + month * 100
  return [base + 1, base + 31]
}
