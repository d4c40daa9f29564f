import { MAX_YEAR, MIN_YEAR } from '../../src-shared/months.js'

/**
 * The values Assay accepts, everywhere: ingest rejects a line outside them, silver leaves such bronze lines out
 * (and a constraint keeps such rows out of silver.fact_sales_daily), monthly, verify and status only know months
 * inside the window. They are chosen so that no accepted line can overflow a gold column:
 * - a line's revenue is at most 1,000,000 × 10,000 = 1e10, far inside NUMERIC(15,2) (1e13);
 * - a per-transaction or per-day average of quantities is at most a few million, inside NUMERIC(10,2) (1e8);
 * - silver's INTEGER quantity sums stay far from 2^31 at the data set's group sizes.
 */
export const BOUNDS = {
  firstDate: `${MIN_YEAR}-01-01`,
  lastDate: `${MAX_YEAR}-12-31`,
  /** date_id (yyyymmdd) of the window's ends. */
  firstDateId: MIN_YEAR * 10000 + 101,
  lastDateId: MAX_YEAR * 10000 + 1231,
  /** |quantity| of one line. */
  maxQuantity: 1_000_000,
  /** Unit price of one line (the contract drops prices < 0 or > 10000 at ingestion). */
  minPrice: 0,
  maxPrice: 10_000,
} as const

/** Digits grouped by commas, without Intl: its first use at module load cost every CLI command ~35 ms of CPU. */
const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')

/** The window and limits in words, for messages. */
export const BOUNDS_TEXT = `dates ${BOUNDS.firstDate}…${BOUNDS.lastDate}, quantity within ±${grouped(BOUNDS.maxQuantity)}, unit price ${BOUNDS.minPrice}–${BOUNDS.maxPrice}`

/** Whether an ingest timestamp text (`YYYY-MM-DD HH:MM:SS`) falls inside the date window. */
export function dateInBounds(timestamp: string): boolean {
  const day = timestamp.slice(0, 10)
  return day >= BOUNDS.firstDate && day <= BOUNDS.lastDate
}

/**
 * SQL condition on bronze.raw_transactions columns (alias `b`): the line is inside the bounds. Bronze written by
 * another tool (or by hand) can hold anything; silver reads only lines that pass this.
 */
export const BRONZE_IN_BOUNDS = (b: string) =>
  `(${b}.invoicedate >= DATE '${BOUNDS.firstDate}' AND ${b}.invoicedate < DATE '${BOUNDS.lastDate}' + 1
    AND ${b}.quantity BETWEEN -${BOUNDS.maxQuantity} AND ${BOUNDS.maxQuantity}
    AND ${b}.unitprice BETWEEN ${BOUNDS.minPrice} AND ${BOUNDS.maxPrice})`
