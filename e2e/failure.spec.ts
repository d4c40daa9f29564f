import { expect, test } from '@playwright/test'
import { ConsolePage } from './pages/console-page'
import { appForFile } from './support/app'

// 2011-05 fails every attempt with a permanent error (SQLSTATE 22012), which is not retried.
const app = appForFile({ env: { ASSAY_FAULTS: 'month:2011-05:permanent' } })

test('a failed month shows its error in the run and in the months grid; a silver change shows as stale', async ({
  page,
}) => {
  const console = new ConsolePage(page, app())
  await console.open('run')
  await console.chooseScope('A range of months')
  await page.locator('#run-from').fill('2010-12')
  await page.locator('#run-to').fill('2011-10')
  await console.submitRun()
  await console.expectJob('failed')
  const may = console.unit('2011-05')
  await expect(may).toHaveAttribute('data-unit-state', 'failed')
  await expect(may).toContainText('injected permanent fault')
  await expect(page.locator('tr[data-unit][data-unit-state="completed"]')).toHaveCount(10)

  // Silver changes under a completed month (as a rebuild would): the grid marks it stale without a reload.
  await app().sql(
    `UPDATE silver.fact_sales_daily SET total_quantity = total_quantity + 1
     WHERE id = (SELECT id FROM silver.fact_sales_daily WHERE date_id BETWEEN 20110201 AND 20110231 LIMIT 1)`,
  )
  await console.show('Months')
  await expect(console.cell('2011-02')).toHaveAttribute('data-status', 'stale', { timeout: 20_000 })
  await expect(console.cell('2011-05')).toHaveAttribute('data-status', 'failed')
  await expect(console.cell('2011-12')).toHaveAttribute('data-status', 'pending')
  await console.cell('2011-05').click()
  const detail = page.getByTestId('month-detail')
  await expect(detail).toContainText('Failed')
  await expect(detail).toContainText(/injected permanent fault.*SQLSTATE 22012/)
  await console.snap('months')

  // Processing it again from its detail: still the same specific error, inline.
  await console.button('Process').click()
  await expect(console.cell('2011-05')).toHaveAttribute('data-status', 'failed')
  // Not a stale "started … updates live" once the run is over: its outcome.
  await expect(detail.getByRole('status')).toContainText('Run of 2011-05 failed')
})
