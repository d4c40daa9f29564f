import { describe, expect, it } from 'vitest'
import { cleanRecord } from './clean.js'
import { parseCsvLine } from './csv-fields.js'
import { formatExcelDate, layoutEvidence, parseDate } from './dates.js'
import { matchCsvHeader } from './header.js'

describe('parseCsvLine', () => {
  it('splits quoted and unquoted values, with escaped quotes and empty fields', () => {
    expect(parseCsvLine('a,"b, c","say ""hi""",,"",x')).toEqual(['a', 'b, c', 'say "hi"', '', '', 'x'])
    expect(parseCsvLine('a,b,')).toEqual(['a', 'b', ''])
  })
  it('keeps a quote inside an unquoted value (12" RULER)', () => {
    expect(parseCsvLine('1,12" RULER,3')).toEqual(['1', '12" RULER', '3'])
  })
  it('reports an open quote and text after a closing quote', () => {
    expect(parseCsvLine('1,"open,3')).toBe('open')
    expect(parseCsvLine('1,"closed"x,3')).toBe('broken')
  })
})

describe('dates', () => {
  it('tells the layout only from a component above 12', () => {
    expect(layoutEvidence('13/12/2010 8:26')).toBe('dmy')
    expect(layoutEvidence('12/13/2010 8:26')).toBe('mdy')
    expect(layoutEvidence('01/12/2010 8:26')).toBeUndefined()
    expect(layoutEvidence('2010-12-13 08:26:00')).toBeUndefined()
  })
  it('parses day-first, month-first, ISO, 2-digit years and AM/PM', () => {
    expect(parseDate('01/12/2010 8:26', 'dmy')).toBe('2010-12-01 08:26:00')
    expect(parseDate('12/1/2010 8:26', 'mdy')).toBe('2010-12-01 08:26:00')
    expect(parseDate('2010-12-01 08:26:07', 'mdy')).toBe('2010-12-01 08:26:07')
    expect(parseDate('12/1/10 8:26 PM', 'mdy')).toBe('2010-12-01 20:26:00')
    expect(parseDate('12/1/10 12:05 AM', 'mdy')).toBe('2010-12-01 00:05:00')
  })
  it('rejects impossible dates', () => {
    expect(parseDate('31/02/2011 8:00', 'dmy')).toBeUndefined()
    expect(parseDate('12/13/2010 8:26', 'dmy')).toBeUndefined()
    expect(parseDate('01/12/2010 25:00', 'dmy')).toBeUndefined()
    expect(parseDate('yesterday', 'dmy')).toBeUndefined()
  })
  it('rounds Excel dates to the second', () => {
    expect(formatExcelDate(new Date(Date.UTC(2010, 11, 1, 8, 25, 59, 999)))).toBe('2010-12-01 08:26:00')
  })
})

describe('cleanRecord', () => {
  const good = [
    '536365',
    '85123A',
    'WHITE HEART',
    '6',
    '01/12/2010 8:26',
    '2.55',
    '17850.0',
    'United Kingdom',
  ]
  const withValue = (i: number, v: string) => good.map((g, j) => (j === i ? v : g))

  it('turns a good line into COPY CSV, normalising the customer id', () => {
    expect(cleanRecord(good, 'dmy')).toBe(
      '536365,85123A,WHITE HEART,6,2010-12-01 08:26:00,2.55,17850,United Kingdom',
    )
  })
  it('fills a missing description, leaves a missing customer and country NULL, quotes commas', () => {
    expect(cleanRecord(withValue(2, ''), 'dmy')).toContain(',Unknown,')
    expect(cleanRecord(withValue(6, ''), 'dmy')).toBe(
      '536365,85123A,WHITE HEART,6,2010-12-01 08:26:00,2.55,,United Kingdom',
    )
    expect(cleanRecord(withValue(2, 'A, "B"'), 'dmy')).toContain(',"A, ""B""",')
  })
  it.each([
    [0, '', 'missing_invoice'],
    [1, ' ', 'missing_stockcode'],
    [4, '', 'missing_date'],
    [4, '32/12/2010 8:00', 'bad_date'],
    [3, 'six', 'bad_quantity'],
    [3, '1.5', 'bad_quantity'],
    [5, 'abc', 'bad_price'],
    [5, '-0.01', 'negative_price'],
    [5, '10000.01', 'price_too_high'],
    [3, '1000001', 'quantity_out_of_range'],
    [3, '-1000001', 'quantity_out_of_range'],
    [3, '1000000000', 'quantity_out_of_range'],
    [4, '01/01/1900 0:00', 'date_out_of_range'],
    [4, '31/12/1989 23:59', 'date_out_of_range'],
    [6, 'C17850', 'bad_customer'],
    [0, '12345678901', 'too_long'],
    [1, 'x'.repeat(21), 'too_long'],
    [2, 'x'.repeat(256), 'too_long'],
    [7, 'x'.repeat(101), 'too_long'],
  ])('column %i = %j is rejected as %s', (column, value, kind) => {
    const result = cleanRecord(withValue(column, value), 'dmy')
    expect(typeof result === 'string' ? result : result.kind).toBe(kind)
  })
  it('keeps the bounds themselves: quantity ±1,000,000 and the first and last day of the window', () => {
    for (const [column, value] of [
      [3, '1000000'],
      [3, '-1000000'],
      [4, '01/01/1990 0:00'],
      [4, '31/12/2100 23:59'],
    ] as const)
      expect(typeof cleanRecord(withValue(column, value), 'dmy')).toBe('string')
  })
  it('says why an out-of-window line is rejected', () => {
    expect(cleanRecord(withValue(4, '01/01/1900 0:00'), 'dmy')).toEqual({
      kind: 'date_out_of_range',
      reason: 'invoice date 1900-01-01 is outside the supported window 1990-01-01…2100-12-31',
    })
  })
  it('keeps prices 0 and 10000 and a 255-character description', () => {
    expect(typeof cleanRecord(withValue(5, '0'), 'dmy')).toBe('string')
    expect(typeof cleanRecord(withValue(5, '10000'), 'dmy')).toBe('string')
    expect(typeof cleanRecord(withValue(2, 'é'.repeat(255)), 'dmy')).toBe('string')
  })
})

describe('matchCsvHeader', () => {
  it('matches case-insensitively, trimmed, with a BOM and quotes, in any order', () => {
    const map = matchCsvHeader(
      '\uFEFF"invoiceno", StockCode ,DESCRIPTION,Quantity,InvoiceDate,UnitPrice,Country,CustomerID',
    )
    expect(map.identity).toBe(false)
    expect(map.positions).toEqual([0, 1, 2, 3, 4, 5, 7, 6])
  })
  it('names missing and unexpected columns', () => {
    expect(() =>
      matchCsvHeader('InvoiceNo,StockCode,Description,Qty,InvoiceDate,UnitPrice,CustomerID,Country'),
    ).toThrow(/missing Quantity; unexpected "Qty"/)
  })
  it('says which delimiter a file seems to use', () => {
    expect(() =>
      matchCsvHeader('InvoiceNo;StockCode;Description;Quantity;InvoiceDate;UnitPrice;CustomerID;Country'),
    ).toThrow(/semicolon-separated/)
    expect(() =>
      matchCsvHeader(
        'InvoiceNo\tStockCode\tDescription\tQuantity\tInvoiceDate\tUnitPrice\tCustomerID\tCountry',
      ),
    ).toThrow(/tab-separated/)
  })
})
