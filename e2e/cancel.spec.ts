import { expect, test } from '@playwright/test'
import { ConsolePage } from './pages/console-page'
import { appForFile } from './support/app'

// Each month takes a few seconds, so there is (almost always) a month in flight to cancel.
const app = appForFile({ env: { ASSAY_FAULTS: 'month:*:delay:2500' } })

test('cancel stops a run cleanly: completed months stay, the month in flight rolls back', async ({
  page,
}) => {
  const console = new ConsolePage(page, app())
  await console.open('run')
  await console.submitRun()
  await console.expectJob('running', 10_000)
  await expect(console.unit('2010-12')).toHaveAttribute('data-unit-state', 'completed', { timeout: 30_000 })
  await expect(page.locator('tr[data-unit][data-unit-state="running"]')).toHaveCount(1)

  await console.button('Cancel').click()
  await console.expectJob('cancelled', 20_000)
  await expect(page.getByText('Cancelled. Completed months stay completed')).toBeVisible()
  // The month in flight is shown as cancelled (none, if the cancel landed exactly between two months).
  expect(await page.locator('tr[data-unit][data-unit-state="cancelled"]').count()).toBeLessThanOrEqual(1)
  const done = await page.locator('tr[data-unit][data-unit-state="completed"]').count()
  expect(done).toBeGreaterThanOrEqual(1)
  expect(done).toBeLessThan(13)
  await console.snap('run-cancelled')

  // The database agrees: exactly the completed months are completed, nothing is left in progress.
  const months = await app().sql<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM ops.processed_months GROUP BY status ORDER BY status`,
  )
  expect(months.filter((m) => m.status !== 'completed' && m.status !== 'failed' && m.n > 0)).toEqual([])
  expect(months.find((m) => m.status === 'completed')?.n).toBe(done)
  const gold = await app().sql<{ n: number }>('SELECT count(*)::int AS n FROM gold.fact_sales_monthly')
  expect(gold[0]?.n).toBe(done)
  const runs = await app().sql<{ status: string }>('SELECT status FROM ops.pipeline_runs')
  expect(runs).toEqual([{ status: 'cancelled' }])

  // The months it did not reach are still to do.
  await console.show('Months')
  await expect(page.locator('button.month-cell[data-status="completed"]')).toHaveCount(done)
  await expect(page.locator('button.month-cell[data-status="pending"]')).toHaveCount(13 - done)
})
