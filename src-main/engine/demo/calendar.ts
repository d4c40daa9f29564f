import { Weighted } from './prng.js'

/** The real data set's span: 2010-12-01 … 2011-12-09, 13 months. */
export const FIRST_DAY = Date.UTC(2010, 11, 1)
export const LAST_DAY = Date.UTC(2011, 11, 9)
const DAY_MS = 86_400_000

/** Relative trade per month, Dec 2010 … Dec 2011: quiet after Christmas, busy from September, peak in November. */
const MONTH_FACTOR = [1.35, 0.85, 0.8, 1.0, 0.85, 1.05, 1.0, 1.0, 1.0, 1.4, 1.55, 2.1, 1.35]
/** Sunday … Saturday: the shop does not trade on Saturdays. */
const WEEKDAY_FACTOR = [0.6, 1.0, 1.05, 1.05, 1.25, 0.85, 0]
/** The Christmas closure, as in the real data. */
const CLOSED_FROM = Date.UTC(2010, 11, 24)
const CLOSED_TO = Date.UTC(2011, 0, 3)

export interface TradingDay {
  /** Milliseconds of UTC midnight. */
  ms: number
  /** 'YYYY-MM-DD'. */
  iso: string
  weekday: number
  /** 0 = Dec 2010 … 12 = Dec 2011. */
  monthIndex: number
}

/** Every trading day with a weight that gives the year its seasonality. */
export function tradingDays(): { days: TradingDay[]; weights: Weighted } {
  const days: TradingDay[] = []
  const weights: number[] = []
  for (let ms = FIRST_DAY; ms <= LAST_DAY; ms += DAY_MS) {
    const date = new Date(ms)
    const weekday = date.getUTCDay()
    if (WEEKDAY_FACTOR[weekday] === 0 || (ms >= CLOSED_FROM && ms <= CLOSED_TO)) continue
    const monthIndex = (date.getUTCFullYear() - 2010) * 12 + date.getUTCMonth() - 11
    days.push({ ms, iso: date.toISOString().slice(0, 10), weekday, monthIndex })
    weights.push(MONTH_FACTOR[monthIndex]! * WEEKDAY_FACTOR[weekday]!)
  }
  return { days, weights: new Weighted(weights) }
}

/** Minutes after midnight, weighted towards midday: 7:00–19:59 on weekdays, 10:00–15:59 on Sundays. */
export const HOUR_WEIGHTS = new Weighted([0, 0, 0, 0, 0, 0, 0, 1, 3, 6, 9, 11, 12, 10, 9, 8, 5, 3, 2, 1])
