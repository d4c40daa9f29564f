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

  it('cancels a prepared export, and refuses a filter the export cannot apply', async () => {
    const started = await t.call('export:start', { table: 'logs', filter: {}, bom: false })
    expect(await t.call('export:cancel', { exportId: started.exportId })).toEqual({ cancelled: true })
    await t.next('export:progress', (p) => p.exportId === started.exportId && p.state === 'cancelled')
    await expect(t.host.download(started.exportId!)).rejects.toThrow(/no export/)
    expect(
      await t.host.request('export:start', { table: 'checkpoints', filter: { stage: 'x' }, bom: false }),
    ).toMatchObject({ ok: false, error: { code: 'export_filter', message: expect.stringMatching(/stage/) } })
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
