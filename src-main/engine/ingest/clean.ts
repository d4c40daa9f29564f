import { BOUNDS, dateInBounds } from '../bounds.js'
import { formatExcelDate, parseDate, yearOutOfRange } from './dates.js'
import type { DateLayout, RejectKind } from './types.js'

/**
 * The contract's cleaning rules for one line, in the canonical column order. Returns the line as
 * COPY CSV text (without the source_file column and newline) or why it was dropped. This runs once per
 * line, so it avoids allocations beyond the output string.
 */
export type CleanResult = string | { kind: RejectKind; reason: string }

const INTEGER = /^[+-]?\d+(?:\.0*)?$/
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/
const CUSTOMER = /^(\d+)(?:\.0*)?$/
const NEEDS_QUOTES = /[",\r\n]/

/** Column widths of bronze.raw_transactions (characters, as PostgreSQL counts them). */
const WIDTH = { invoiceno: 10, stockcode: 20, description: 255, customerid: 10, country: 100 } as const

function esc(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

function tooLong(value: string, max: number): boolean {
  // JS counts UTF-16 units, PostgreSQL counts characters: only count code points when it could matter.
  return value.length > max && [...value].length > max
}

function quoted(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
}

function reject(kind: RejectKind, reason: string): { kind: RejectKind; reason: string } {
  return { kind, reason }
}

function text(value: string | Date | undefined): string {
  if (value === undefined) return ''
  return typeof value === 'string' ? value.trim() : value.toISOString()
}

/** Cleans one line: `values` are InvoiceNo … Country as read (xlsx dates may be Dates). */
export function cleanRecord(values: readonly (string | Date | undefined)[], layout: DateLayout): CleanResult {
  const invoice = text(values[0])
  const stock = text(values[1])
  const rawDate = values[4]
  if (invoice === '') return reject('missing_invoice', 'no invoice number (dropped per contract)')
  if (stock === '') return reject('missing_stockcode', 'no stock code (dropped per contract)')
  if (rawDate === undefined || rawDate === '' || (typeof rawDate === 'string' && rawDate.trim() === '')) {
    return reject('missing_date', 'no invoice date (dropped per contract)')
  }
  let date: string | undefined
  if (typeof rawDate === 'string') date = parseDate(rawDate.trim(), layout)
  else date = formatExcelDate(rawDate)
  if (date === undefined) {
    const year =
      yearOutOfRange(text(rawDate)) ?? (rawDate instanceof Date ? rawDate.getUTCFullYear() : undefined)
    if (year !== undefined && (year < 1900 || year > 2100)) {
      return reject(
        'date_out_of_range',
        `invoice date ${quoted(text(rawDate))} is in year ${year}, outside the supported window ${BOUNDS.firstDate}…${BOUNDS.lastDate}`,
      )
    }
    const how = layout === 'dmy' ? 'day-first' : 'month-first'
    return reject('bad_date', `unparseable invoice date ${quoted(text(rawDate))} (reading ${how} dates)`)
  }
  if (!dateInBounds(date))
    return reject(
      'date_out_of_range',
      `invoice date ${date.slice(0, 10)} is outside the supported window ${BOUNDS.firstDate}…${BOUNDS.lastDate}`,
    )

  const quantity = text(values[3])
  if (!INTEGER.test(quantity))
    return reject('bad_quantity', `quantity is not a whole number: ${quoted(quantity)}`)
  const qty = Number.parseInt(quantity, 10)
  if (!(Math.abs(qty) <= BOUNDS.maxQuantity))
    return reject(
      'quantity_out_of_range',
      `quantity ${quantity} is outside ±${BOUNDS.maxQuantity.toLocaleString('en')} (a larger value would overflow gold's columns)`,
    )

  const price = text(values[5])
  if (!DECIMAL.test(price)) return reject('bad_price', `unit price is not a number: ${quoted(price)}`)
  const p = Number(price)
  if (p < 0) return reject('negative_price', `unit price ${price} is negative (dropped per contract)`)
  if (p > BOUNDS.maxPrice)
    return reject('price_too_high', `unit price ${price} is above ${BOUNDS.maxPrice} (dropped per contract)`)

  let customer = text(values[6])
  if (customer !== '') {
    const match = CUSTOMER.exec(customer)
    if (!match) return reject('bad_customer', `customer id is not a number: ${quoted(customer)}`)
    customer = match[1]!
  }

  let description = text(values[2])
  if (description === '') description = 'Unknown'
  const country = text(values[7])

  if (tooLong(invoice, WIDTH.invoiceno)) return reject('too_long', `invoice number longer than 10 characters`)
  if (tooLong(stock, WIDTH.stockcode)) return reject('too_long', `stock code longer than 20 characters`)
  if (tooLong(description, WIDTH.description))
    return reject('too_long', `description longer than 255 characters`)
  if (tooLong(customer, WIDTH.customerid)) return reject('too_long', `customer id longer than 10 characters`)
  if (tooLong(country, WIDTH.country)) return reject('too_long', `country longer than 100 characters`)

  return `${esc(invoice)},${esc(stock)},${esc(description)},${qty},${date},${price},${customer},${esc(country)}`
}
