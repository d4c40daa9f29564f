import { expect, test } from '@playwright/test'
import { ConsolePage } from './pages/console-page'
import { type App, appForFile } from './support/app'

const app = appForFile()

/** 1234567.89 → 1,234,567.89, as the console shows exact values. */
function grouped(value: string): string {
  const [int, frac] = value.split('.')
  return `${int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac ? `.${frac}` : ''}`
}

/** What the console could have written: nothing of it may change on a dry-run. */
async function footprint(app: App) {
  return app.sql(
    `SELECT (SELECT count(*) FROM gold.fact_sales_monthly)::int AS gold,
            (SELECT count(*) FROM ops.processed_months)::int AS months,
            (SELECT count(*) FROM ops.pipeline_runs)::int AS runs,
            (SELECT count(*) FROM ops.pipeline_checkpoint)::int AS checkpoints`,
  )
}

test('a dry-run shows the plan and the exact gold diff, and writes nothing', async ({ page }) => {
  const console = new ConsolePage(page, app())
  const before = await footprint(app())
  expect(before).toEqual([{ gold: 0, months: 0, runs: 0, checkpoints: 0 }])

  await console.open('run')
  await console.button('Dry run').click()
  const dry = page.getByTestId('dry-run')
  await expect(dry).toContainText('Dry run: nothing was written')
  await expect(page.getByTestId('plan-summary')).toHaveText('13 months would be processed.')
  await expect(dry.locator('tr[data-plan-month]')).toHaveCount(13)

  // The exact value gold would get, as the database computes it.
  const [expected] = await app().sql<{ revenue: string }>(
    `SELECT sum(total_revenue)::numeric(15,2)::text AS revenue FROM silver.fact_sales_daily WHERE date_id / 100 = 201103`,
  )
  const march = dry.locator('tr[data-plan-month="2011-03"]')
  await expect(march).toContainText('never processed')
  await expect(march).toContainText('new row')
  await expect(march).toContainText(grouped(expected!.revenue))
  await console.snap('dry-run')

  expect(await footprint(app())).toEqual(before)

  await console.button('Run this plan').click()
  await console.expectJob('completed')
  await console.button('Dry run').click()
  await expect(page.getByTestId('plan-summary')).toHaveText(
    'No month needs processing: every month in scope is up to date.',
  )
})
