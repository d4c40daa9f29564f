import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, type Page, test } from '@playwright/test'
import { parse } from 'csv-parse/sync'
import { ConsolePage } from './pages/console-page'
import { ExportDialog } from './pages/logs-page'
import { appForFile } from './support/app'
import { runAssay } from './support/cli'
import { serverUrl } from './support/paths'

const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'
// Sales to a country the demo data does not have, so every bronze line behind it came from this file.
const LINES = [
  '581001,EXPL1,Lantern,4,2011-03-08 09:15:00,3.25,17001,Narnia',
  '581001,EXPL2,Wardrobe,1,2011-03-08 09:15:00,120.00,17001,Narnia',
  '581002,EXPL1,Lantern,10,2011-03-08 14:40:00,2.95,17002,Narnia',
  'C581003,EXPL1,Lantern,-2,2011-03-08 16:00:00,3.25,17001,Narnia',
  '581004,EXPL1,Lantern,6,2011-03-09 10:05:00,3.25,,Narnia',
]
const FILE = 'narnia-2011-03.csv'

const app = appForFile({}, async (a) => {
  const url = serverUrl(a.database!)
  const dir = mkdtempSync(join(tmpdir(), 'assay-e2e-explain-'))
  try {
    const path = join(dir, FILE)
    writeFileSync(path, `${HEADER}\n${LINES.join('\n')}\n`)
    await runAssay(['ingest', path, '--database-url', url])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  await runAssay(['silver', '--database-url', url])
  await runAssay(['monthly', '--database-url', url])
})

/** A figure of the reconciliation table: which row (parent, children, difference) and which field. */
function figure(page: Page, row: string, field: string) {
  return page.getByTestId('explain-reconciliation').locator(`tr[data-row="${row}"] td[data-field="${field}"]`)
}

const money = (v: string) => Number(v).toLocaleString('en', { minimumFractionDigits: 2 })

async function explainReady(page: Page, level: string): Promise<void> {
  await page
    .locator(`section.view[aria-label="Explain"][data-state="ready"][data-level="${level}"]`)
    .waitFor()
}

test('from a month to the bronze lines behind it: each level reconciles with the database, links and Back work, CSV matches', async ({
  page,
}) => {
  const a = app()
  const console = new ConsolePage(page, a)
  await console.open('months/2011-03' as never)
  await page.getByTestId('explain-month').click()
  await expect(page).toHaveURL(/#\/explain\?level=breakdown&of=month&month=2011-03&by=country$/)
  await explainReady(page, 'breakdown')

  // The gold value and the sum of its breakdown, as the database has them.
  const [gold] = await a.sql<{ revenue: string; quantity: string }>(
    `SELECT total_revenue::text AS revenue, total_quantity::text AS quantity FROM gold.fact_sales_monthly
     WHERE year = 2011 AND month = 3`,
  )
  const [silver] = await a.sql<{ revenue: string; rows: string }>(
    `SELECT sum(total_revenue)::text AS revenue, count(*)::text AS rows FROM silver.fact_sales_daily
     WHERE date_id BETWEEN 20110301 AND 20110331`,
  )
  await expect(figure(page, 'parent', 'revenue')).toHaveText(money(gold!.revenue))
  await expect(figure(page, 'children', 'revenue')).toHaveText(money(silver!.revenue))
  await expect(figure(page, 'difference', 'revenue')).toHaveText('+0.00')
  await expect(page.getByTestId('explain-reconciliation')).toHaveAttribute('data-reconciled', 'true')
  const narnia = page.locator('tr[data-key="Narnia"]')
  const [n] = await a.sql<{ revenue: string }>(
    `SELECT sum(total_revenue)::text AS revenue FROM silver.fact_sales_daily
     WHERE country = 'Narnia' AND date_id BETWEEN 20110301 AND 20110331`,
  )
  await expect(narnia.locator('[data-revenue]')).toHaveAttribute('data-revenue', n!.revenue)

  // Down to Narnia's daily silver rows.
  await narnia.getByRole('link', { name: 'Narnia', exact: true }).click()
  await explainReady(page, 'silver')
  await expect(page).toHaveURL(/level=silver&of=month&month=2011-03&country=Narnia&by=country$/)
  const rows = page.locator('tr[data-day]')
  await expect(rows).toHaveCount(3)
  await expect(figure(page, 'children', 'revenue')).toHaveText(money(n!.revenue))

  // Down to the bronze lines behind the lantern sales of 8 March: file, line number, ingest time.
  await page.locator('tr[data-day="2011-03-08"][data-product="EXPL1"]').getByRole('link').click()
  await explainReady(page, 'bronze')
  const lines = page.locator('tr[data-line]')
  await expect(lines).toHaveCount(3)
  await expect(lines.first()).toContainText(`${FILE}, line 2`)
  const sourceLines = await lines.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-source-line')))
  expect(sourceLines).toEqual(['2', '4', '5'])
  for (const [i, line] of sourceLines.entries()) {
    const invoice = (await lines.nth(i).locator('th').textContent())!
    expect(LINES[Number(line) - 2]!.startsWith(`${invoice},`)).toBe(true)
  }
  // 4 × 3.25 + 10 × 2.95 counted; the cancellation listed, not counted.
  await expect(figure(page, 'children', 'revenue')).toHaveText('42.50')
  await expect(figure(page, 'parent', 'revenue')).toHaveText('42.50')
  await expect(page.getByTestId('uncounted')).toContainText('1 line')
  await console.snap('explain-bronze')

  // The export holds exactly these lines, with their lineage.
  const exporter = new ExportDialog(page)
  await exporter.open()
  await expect(exporter.dialog).toContainText('Every row of this level, in the order shown (3 rows)')
  const download = await exporter.export({ scope: 'level', bom: false })
  expect(download.suggestedFilename()).toMatch(/^assay-explain-month-bronze-\d{8}-\d{6}\.csv$/)
  const csv = parse(readFileSync((await download.path())!), { columns: true }) as Record<string, string>[]
  const db = await a.sql<{ invoiceno: string; source_line: number }>(
    `SELECT invoiceno, source_line FROM bronze.raw_transactions
     WHERE stockcode = 'EXPL1' AND country = 'Narnia' AND invoicedate::date = '2011-03-08' ORDER BY id`,
  )
  expect(csv.map((r) => [r.invoice_no, Number(r.source_line), r.source_file, r.lineage])).toEqual(
    db.map((r) => [r.invoiceno, r.source_line, FILE, 'file']),
  )
  await page.getByRole('button', { name: 'Close' }).click()

  // Back and Forward walk the drill-down; the trail links up a level.
  await page.goBack()
  await explainReady(page, 'silver')
  await page.goForward()
  await explainReady(page, 'bronze')
  await page.getByRole('navigation', { name: 'Drill-down' }).getByRole('link').first().click()
  await explainReady(page, 'breakdown')
})

test('a stale gold value shows its difference; a month not in gold and a bad link say so', async ({
  page,
}) => {
  const a = app()
  const console = new ConsolePage(page, a)
  // Overview's revenue bars are links to their month's explanation.
  await console.open('overview')
  await page.getByRole('link', { name: /^Explain the revenue of 2011-03/ }).click()
  await explainReady(page, 'breakdown')
  await expect(page).toHaveURL(/#\/explain\?level=breakdown&of=month&month=2011-03&by=country$/)

  await a.sql(
    `UPDATE gold.fact_sales_monthly SET total_revenue = total_revenue + 12.34 WHERE year = 2011 AND month = 3`,
  )
  try {
    await console.open('explain?level=breakdown&of=month&month=2011-03&by=product' as never)
    await explainReady(page, 'breakdown')
    await expect(page.getByTestId('explain-reconciliation')).toHaveAttribute('data-reconciled', 'false')
    await expect(figure(page, 'difference', 'revenue')).toHaveText('+12.34')
    await expect(page.getByTestId('explain-reconciliation')).toContainText('Gold is stale')
  } finally {
    await a.sql(
      `UPDATE gold.fact_sales_monthly SET total_revenue = total_revenue - 12.34 WHERE year = 2011 AND month = 3`,
    )
  }
  await a.sql(`DELETE FROM gold.fact_sales_monthly WHERE year = 2011 AND month = 4`)
  await console.open('explain?level=breakdown&of=month&month=2011-04&by=country' as never)
  await explainReady(page, 'breakdown')
  await expect(page.getByTestId('explain-reconciliation')).toContainText('No such row in gold')
  await console.open('explain?level=bronze&of=month&month=2011-04' as never)
  await expect(page.locator('section.view[aria-label="Explain"]')).toContainText(
    'This link does not name a level to explain',
  )
})
