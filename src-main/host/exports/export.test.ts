import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertLogs } from '../../engine/logs/test-logs.js'
import { backends, type Scratch } from '../../test-support/scratch.js'
import { type TestHost, testHost } from '../test-host.js'

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.from(chunk))
  return Buffer.concat(chunks).toString('utf8')
}

describe.each(backends)('exports through the host on $name', ({ scratch }) => {
  let s: Scratch
  let t: TestHost
  beforeAll(async () => {
    s = await scratch()
    t = await testHost(s)
    await insertLogs(s.db, [
      { message: 'a, "quoted" line\nand a second', level: 'ERROR', metadata: { note: '=cmd' } },
      { message: 'plain', level: 'INFO' },
      { message: '=SUM(A1)', level: 'ERROR' },
    ])
  })
  afterAll(async () => {
    await t.host.close()
    await s.dispose()
  })

  it('streams exactly the filtered rows once, with progress ending in done', async () => {
    expect(await t.call('export:count', { table: 'logs', filter: { level: 'ERROR' } })).toEqual({ rows: 2 })
    const started = await t.call('export:start', { table: 'logs', filter: { level: 'ERROR' }, bom: true })
    expect(started).toMatchObject({ destination: 'download', totalRows: 2, path: null })
    expect(started.filename).toMatch(/^assay-logs-filtered-\d{8}-\d{6}\.csv$/)
    const download = await t.host.download(started.exportId!)
    const csv = await text(download.stream)
    expect(csv.startsWith('\uFEFFid,timestamp,level,message')).toBe(true)
    const rows = parse(csv, { columns: true, bom: true }) as Record<string, string>[]
    expect(rows.map((r) => r.message)).toEqual(["'=SUM(A1)", 'a, "quoted" line\nand a second'])
    expect(JSON.parse(rows[1]!.metadata!)).toEqual({ note: '=cmd' })
    const done = await t.next('export:progress', (p) => p.exportId === started.exportId && p.state === 'done')
    expect(done).toMatchObject({ rows: 2, totalRows: 2, bytes: Buffer.byteLength(csv) })
    await expect(t.host.download(started.exportId!)).rejects.toThrow(/each link works once/)
  })

  it('count, page and export agree on a date filter; ambiguous or impossible dates, NUL and a forged cursor are invalid_input', async () => {
    // 00:00:01Z up to (not including) 00:00:03Z, the end written with an offset: the second and third records.
    const filter = { from: '2024-01-01T00:00:01Z', to: '2024-01-01 01:00:03+01:00' }
    expect(await t.call('export:count', { table: 'logs', filter })).toEqual({ rows: 2 })
    expect((await t.call('logs:page', { ...filter, limit: 50 })).records).toHaveLength(2)
    const started = await t.call('export:start', { table: 'logs', filter, bom: false })
    const csv = await text((await t.host.download(started.exportId!)).stream)
    expect(parse(csv, { columns: true })).toHaveLength(2)
    await t.next('export:progress', (p) => p.exportId === started.exportId && p.state === 'done')
    // 12/03/26 read as MDY by one session and YMD by another was the disagreement; it is not ISO, so refused.
    for (const bad of ['12/03/26', '2011-02-30', '2011-13-01', 'yesterday', '2011-12-03T25:00']) {
      const invalid = { ok: false, error: { code: 'invalid_input' } }
      expect(await t.host.request('export:count', { table: 'logs', filter: { to: bad } })).toMatchObject(
        invalid,
      )
      expect(await t.host.request('logs:page', { from: bad, limit: 10 })).toMatchObject(invalid)
      expect(await t.host.request('runs:list', { to: bad, limit: 10 })).toMatchObject(invalid)
    }
    expect(await t.host.request('logs:page', { search: 'a\u0000b', limit: 10 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/NUL/) },
    })
    expect(
      await t.host.request('runs:list', { before: { startedAt: "x' OR 1=1", runId: 'r' }, limit: 10 }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  })

  it('cancels a prepared export, and refuses a filter the export cannot apply', async () => {
    const started = await t.call('export:start', { table: 'logs', filter: {}, bom: false })
    expect(await t.call('export:cancel', { exportId: started.exportId })).toEqual({ cancelled: true })
    await t.next('export:progress', (p) => p.exportId === started.exportId && p.state === 'cancelled')
    await expect(t.host.download(started.exportId!)).rejects.toThrow(/no export/)
    expect(
      await t.host.request('export:start', { table: 'checkpoints', filter: { stage: 'x' }, bom: false }),
    ).toMatchObject({ ok: false, error: { code: 'export_filter', message: expect.stringMatching(/stage/) } })
  })

  it('serves explain pages and summaries, and exports one explain level through the same export path', async () => {
    await s.db.exec(`INSERT INTO silver.dim_date (date_id, date, day, day_of_week, month, quarter, year, day_name,
                       month_name, is_weekend) VALUES (20110304, '2011-03-04', 4, 5, 3, 1, 2011, 'Friday', 'March', false);
                     INSERT INTO silver.dim_product (product_id, stock_code, description) VALUES (901, '=X1', 'Mug');
                     INSERT INTO silver.fact_sales_daily (date_id, product_id, country, total_transactions,
                       total_quantity, total_revenue, avg_unit_price)
                     VALUES (20110304, 901, 'Germany', 2, 5, 12.50, 2.50), (20110304, 901, 'France', 1, 1, 2.50, 2.50);
                     INSERT INTO gold.fact_sales_monthly (year, month, total_revenue, total_quantity, total_transactions)
                     VALUES (2011, 3, 15.00, 6, 3)`)
    const target = { level: 'breakdown', of: 'month', month: '2011-03', by: 'product' } as const
    const page = await t.call('explain:page', { target, limit: 10 })
    expect(page).toMatchObject({ level: 'breakdown', rows: [{ key: '=X1', totals: { revenue: '15.00' } }] })
    expect(await t.call('explain:summary', target)).toMatchObject({ reconciled: true })
    expect(
      await t.host.request('explain:summary', {
        level: 'silver',
        of: 'month',
        month: '2011-03',
        by: 'country',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/country/) },
    })

    const filter = { explain: { ...target, level: 'silver', by: 'country', country: 'Germany' } } as const
    expect(await t.call('export:count', { table: 'explain', filter })).toEqual({ rows: 1 })
    const started = await t.call('export:start', { table: 'explain', filter, bom: false })
    expect(started.filename).toMatch(/^assay-explain-month-silver-\d{8}-\d{6}\.csv$/)
    const rows = parse(await text((await t.host.download(started.exportId!)).stream), { columns: true })
    expect(rows).toEqual([
      expect.objectContaining({
        day: '2011-03-04',
        stock_code: "'=X1",
        country: 'Germany',
        revenue: '12.50',
      }),
    ])
    await t.next('export:progress', (p) => p.exportId === started.exportId && p.state === 'done')
    expect(
      await t.host.request('export:start', { table: 'explain', filter: { level: 'ERROR' }, bom: false }),
    ).toMatchObject({ ok: false, error: { code: 'export_filter' } })
  })

  it('writes the file a save dialog chose (desktop), or nothing when the dialog is closed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-export-'))
    let answer: string | null = join(dir, 'logs.csv')
    const desktop = await testHost(s, { saveDialog: async () => answer })
    try {
      const started = await desktop.call('export:start', { table: 'logs', filter: {}, bom: false })
      expect(started).toMatchObject({ destination: 'file', path: answer })
      const done = await desktop.next(
        'export:progress',
        (p) => p.exportId === started.exportId && p.state === 'done',
      )
      expect(done.path).toBe(answer)
      expect(parse(readFileSync(answer!), { columns: true })).toHaveLength(3)
      expect(statSync(answer!).mode & 0o777).toBe(0o600) // business data: the owner's only
      answer = null
      expect(await desktop.call('export:start', { table: 'logs', filter: {}, bom: false })).toMatchObject({
        exportId: null,
      })
    } finally {
      await desktop.host.close()
    }
  })
})
