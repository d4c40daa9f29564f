import { expect, test } from '@playwright/test'
import { ConsolePage } from './pages/console-page'
import { appForFile } from './support/app'
import { setFaults } from './support/host-client'

const app = appForFile({ allowFaults: true })

// Issue #14, item 6: a one-click run on Overview that failed showed no error, drew the revenue chart without the
// failed month and promised "the monthly pipeline picks them up".
test('a one-click fix on Overview that fails says so, leaves a gap for the month, and promises nothing', async ({
  page,
}) => {
  await setFaults(app(), 'month:2011-09:permanent')
  const console = new ConsolePage(page, app())
  await console.open('overview')
  const fix = page.locator('.fix').filter({ hasText: 'gold.fact_sales_monthly is empty' })
  await fix.getByRole('button', { name: 'Run monthly pipeline' }).click()

  const outcome = page.getByTestId('fix-run-outcome')
  await expect(outcome).toContainText('The run failed.', { timeout: 60_000 })
  await expect(outcome).toContainText('2011-09')
  await expect(outcome.getByRole('button', { name: 'Open the run' })).toBeVisible()
  await expect(page.locator('[data-testid="revenue"] rect.chart-bar')).toHaveCount(12)
  await expect(page.locator('[data-testid="revenue"] .chart-gap')).toHaveCount(1)
  const missing = page.getByTestId('missing-in-gold')
  await expect(missing).toContainText('Failed, not in gold: 2011-09')
  await expect(missing).not.toContainText('picks them up')
  await expect(page.getByTestId('rerun-failed')).toContainText('2011-09')

  // Open the run: it is the failed one, with the month's error.
  await outcome.getByRole('button', { name: 'Open the run' }).click()
  await console.ready('Run detail')
  await expect(page.locator('.timeline tr[data-unit="2011-09"]')).toHaveAttribute('data-status', 'failed')
})
