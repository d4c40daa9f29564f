import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, type Scratch } from '../../test-support/scratch.js'
import { ingestFile } from './ingest.js'
import { MAX_LAYOUT_BUFFER } from './types.js'

const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'

/**
 * Lines are held back until a slash date shows its layout; a file with ISO dates only never shows one, and used to
 * be refused once the hold buffer filled (any ISO CSV over 100,000 lines, such as one exported from PostgreSQL).
 */
describe.each(backends)('ISO-dated files longer than the layout buffer on $name', ({ scratch }) => {
  let s: Scratch
  let dir: string
  beforeAll(async () => {
    s = await scratch()
    dir = mkdtempSync(join(tmpdir(), 'assay-iso-'))
  })
  afterAll(async () => {
    await s.dispose()
    rmSync(dir, { recursive: true, force: true })
  })

  it('loads every line, in file order, and still decides slash dates that come later', async () => {
    const lines = MAX_LAYOUT_BUFFER * 2 + 50
    const body: string[] = []
    for (let i = 0; i < lines; i++)
      body.push(`${100000 + i},A${i % 50},item,1,2011-03-04 05:06:07,1.5,12345,UK`)
    body.push('999999,B,late slash date,1,25/12/2011 10:00,2,,France')
    const path = join(dir, 'iso.csv')
    writeFileSync(path, `${HEADER}\n${body.join('\n')}\n`)
    const report = await ingestFile(s.db, path)
    expect(report).toMatchObject({ status: 'loaded', loaded: lines + 1, rejected: 0, dateLayout: 'dmy' })
    const { rows } = await s.db.query<{ invoiceno: string; invoicedate: string }>(
      `(SELECT invoiceno, invoicedate FROM bronze.raw_transactions ORDER BY id LIMIT 1)
       UNION ALL (SELECT invoiceno, invoicedate FROM bronze.raw_transactions ORDER BY id DESC LIMIT 1)`,
    )
    expect(rows.map((r) => r.invoiceno)).toEqual(['100000', '999999'])
    expect(rows[1]?.invoicedate).toBe('2011-12-25T10:00:00.000Z')
  })
})
