import { readFileSync } from 'node:fs'
import { expect, test } from '@playwright/test'
import { parse } from 'csv-parse/sync'
import { ConsolePage } from './pages/console-page'
import { ExportDialog } from './pages/logs-page'
import { appForFile } from './support/app'
import { finished, runAssay, spawnAssay } from './support/cli'
import { serverUrl } from './support/paths'

const app = appForFile()

test('overview: fix an empty gold layer with one click, see health, revenue reconciled, stages and the breaker', async ({
  page,
}) => {
  const console = new ConsolePage(page, app())
  await console.open('overview')
  const fix = page.locator('.fix').filter({ hasText: 'gold.fact_sales_monthly is empty' })
  await expect(fix).toContainText('assay monthly')
  await expect(page.getByText('Gold has no months yet')).toBeVisible()
  await fix.getByRole('button', { name: 'Run monthly pipeline' }).click()
  const summary = page.getByTestId('reconciliation-summary')
  await expect(summary).toHaveText('✓ all 13 months match silver', { timeout: 30_000 })
  await expect(page.locator('.recon li[data-reconciled="true"]')).toHaveCount(13)
  await expect(page.locator('[data-testid="revenue"] rect.chart-bar')).toHaveCount(13)

  // Two reliable runs from the CLI, one failing: the cards and the stage chart follow live.
  const url = serverUrl(app().database!)
  const failing = await finished(
    spawnAssay(['reliable', '--database-url', url], { ASSAY_FAULTS: 'stage:country_sales:permanent' }),
  )
  expect(failing.code).toBe(1)
  await runAssay(['reliable', '--database-url', url])
  const failures = page.getByRole('region', { name: 'Failures by stage' })
  await expect(failures).toContainText('country_sales', { timeout: 20_000 })
  await expect(page.getByRole('region', { name: 'Pipeline health' })).toContainText('reliable_gold_pipeline')
  await expect(page.getByTestId('stage-chart').locator('rect.chart-bar')).toHaveCount(4, { timeout: 20_000 })
  await expect(page.getByTestId('breaker').locator('.breaker')).toHaveAttribute('data-state', 'closed')
  await expect(page.locator('.layer.ok')).toHaveCount(4)
  await console.snap('overview')
  await page.emulateMedia({ colorScheme: 'dark' })
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await console.snap('overview-dark')
  await page.emulateMedia({ colorScheme: 'light' })

  // Gold drifting from silver (an edit outside the pipeline) shows on that month's badge.
  await app().sql(
    'UPDATE gold.fact_sales_monthly SET total_revenue = total_revenue + 10 WHERE year = 2011 AND month = 3',
  )
  await page.reload()
  await console.ready('Overview')
  await expect(summary).toHaveText('✗ 1 of 13 months differ from silver')
  await expect(page.locator('.recon li[data-month="2011-03"]')).toHaveAttribute('data-reconciled', 'false')
  await expect(page.locator('.recon-details')).toContainText('2011-03: gold − silver = revenue +10.00')
})

test('checkpoints: filtered on the server and exported exactly', async ({ page }) => {
  const console = new ConsolePage(page, app())
  await console.open('checkpoints')
  await page.getByLabel('Status').selectOption('failed')
  const rows = page.locator('tr[data-checkpoint]')
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toContainText('country_sales')
  await rows.first().locator('summary').click()
  await expect(rows.first().locator('pre')).toContainText('"sqlstate": "22012"')
  await console.snap('checkpoints')
  const exporter = new ExportDialog(page)
  await exporter.open()
  const file = await exporter.export({ scope: 'filtered', bom: false })
  const csv = parse(readFileSync((await file.path())!), { columns: true }) as Record<string, string>[]
  expect(csv.map((r) => [r.stage, r.status])).toEqual([['country_sales', 'failed']])
  expect(JSON.parse(csv[0]!.metadata!)).toMatchObject({ sqlstate: '22012', transient: false })
})

test('months: exported from the Months view, every processed month', async ({ page }) => {
  const console = new ConsolePage(page, app())
  await console.open('months')
  const exporter = new ExportDialog(page)
  await exporter.open()
  await expect(exporter.dialog.getByRole('radio', { name: /Exactly the current filter/ })).toBeDisabled()
  const file = await exporter.export({ scope: 'all', bom: true })
  const csv = parse(readFileSync((await file.path())!), { columns: true, bom: true }) as Record<
    string,
    string
  >[]
  expect(csv).toHaveLength(13)
  expect(new Set(csv.map((r) => r.status))).toEqual(new Set(['completed']))
  expect(csv[0]).toMatchObject({ month_key: '2010-12', year: '2010', month: '12' })
})
