import { readFileSync } from 'node:fs'
import { expect, test } from '@playwright/test'
import { parse } from 'csv-parse/sync'
import { ConsolePage } from './pages/console-page'
import { ExportDialog, LogsPage } from './pages/logs-page'
import { appForFile } from './support/app'
import { runAssay } from './support/cli'
import { serverUrl } from './support/paths'

const TOKEN = 'awkward-token'
/** Messages that need RFC 4180 quoting, formula neutralisation or UTF-8 care; some are ERRORs. */
const AWKWARD: [level: string, message: string][] = [
  ['ERROR', `${TOKEN}: a, b, c`],
  ['ERROR', `${TOKEN}: she said "hi", then left`],
  ['ERROR', `${TOKEN} first line\nsecond line\r\nthird`],
  ['ERROR', `=HYPERLINK("http://x","${TOKEN}")`],
  ['ERROR', `+SUM(A1) ${TOKEN}`],
  ['ERROR', `-2+3 ${TOKEN}`],
  ['ERROR', `@cmd ${TOKEN}`],
  ['ERROR', `café ☕ 日本語 🎉 ${TOKEN}`],
  ['INFO', `${TOKEN} but only INFO`],
  ['ERROR', 'found in the metadata only'],
]

const app = appForFile({}, async (app) => {
  await runAssay(['monthly', '--database-url', serverUrl(app.database!)])
  for (const [i, [level, message]] of AWKWARD.entries()) {
    const metadata =
      i === AWKWARD.length - 1 ? { note: `see ${TOKEN}, "quoted", =x` } : { i, list: [1, 'two, "2"'] }
    await app.sql(
      `INSERT INTO ops.pipeline_logs (level, message, logger, pipeline_name, run_id, metadata)
       VALUES ($1, $2, 'assay.e2e', 'idempotent_gold_pipeline', 'e2e-run', $3)`,
      [level, message, JSON.stringify(metadata)],
    )
  }
})

/** What the export must say for a text cell: spreadsheet formulas get a leading quote. */
const neutral = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text)

test('export the filtered logs to CSV: exactly the filter, quoted right, checked row by row against the database', async ({
  page,
}) => {
  const console = new ConsolePage(page, app())
  const logs = new LogsPage(page)
  await console.open('logs')
  await page.getByLabel('Level').selectOption('ERROR')
  await logs.search(TOKEN, 9)

  const exporter = new ExportDialog(page)
  await exporter.open()
  await expect(exporter.dialog).toContainText('Exactly the current filter (9 rows)')
  await console.snap('export-dialog')
  const download = await exporter.export({ scope: 'filtered', bom: true })
  expect(download.suggestedFilename()).toMatch(/^assay-logs-filtered-\d{8}-\d{6}\.csv$/)
  const bytes = readFileSync((await download.path())!)
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  const text = bytes.toString('utf8')
  expect(text).toContain(`"${TOKEN}: she said ""hi"", then left"`)
  expect(text).toContain(`"${TOKEN} first line\nsecond line\r\nthird"`)

  const rows = parse(bytes, { columns: true, bom: true }) as Record<string, string>[]
  const expected = await app().sql<{
    id: string
    level: string
    message: string
    logger: string
    metadata: string
  }>(
    // The ERRORs with the token in the message, and the one whose metadata has its words.
    `SELECT id::text, level, message, logger, metadata::text AS metadata FROM ops.pipeline_logs
     WHERE level = 'ERROR' AND (message ILIKE $1 OR message = 'found in the metadata only') ORDER BY id DESC`,
    [`%${TOKEN}%`],
  )
  expect(rows).toHaveLength(9)
  expect(rows.map((r) => r.id)).toEqual(expected.map((r) => r.id))
  rows.forEach((row, i) => {
    const db = expected[i]!
    expect(row.level).toBe(db.level)
    expect(row.message).toBe(neutral(db.message))
    expect(row.logger).toBe(db.logger)
    expect(row.metadata).toBe(db.metadata)
    expect(typeof JSON.parse(row.metadata!)).toBe('object')
  })
  expect(rows.find((r) => r.message?.startsWith("'=HYPERLINK"))).toBeTruthy()
  expect(rows.map((r) => r.message)).toContain(`café ☕ 日本語 🎉 ${TOKEN}`)

  // Everything, without a BOM: every record of the table.
  await exporter.dialog.getByRole('button', { name: 'Close' }).click()
  await exporter.open()
  const all = await exporter.export({ scope: 'all', bom: false })
  const allBytes = readFileSync((await all.path())!)
  expect(allBytes.subarray(0, 3).toString()).toBe('id,')
  const [{ n }] = (await app().sql<{ n: number }>('SELECT count(*)::int AS n FROM ops.pipeline_logs')) as [
    { n: number },
  ]
  expect(parse(allBytes, { columns: true })).toHaveLength(n)
})
