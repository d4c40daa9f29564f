import { expect, test } from '@playwright/test'
import { ConsolePage } from './pages/console-page'
import { appForFile } from './support/app'
import { runAssay } from './support/cli'
import { serverUrl } from './support/paths'

// Every month completed (by the CLI) before the console opens.
const app = appForFile({}, (app) =>
  runAssay(['monthly', '--database-url', serverUrl(app.database!)]).then(() => undefined),
)

test('reset asks first, says what it will clear, and keeps gold', async ({ page }) => {
  const console = new ConsolePage(page, app())
  await console.open('run')
  const reset = page.getByRole('form', { name: 'Reset processing state' })
  await reset.getByLabel('Month').fill('2011-03')
  await reset.getByRole('button', { name: 'Reset…' }).click()

  const dialog = page.getByRole('dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog.getByRole('heading')).toHaveText('Reset 2011-03?')
  await expect(dialog.getByTestId('reset-summary')).toHaveText(
    'This clears the processing state of 1 month: 2011-03.',
  )
  await expect(dialog).toContainText('Gold data is not touched.')
  await console.snap('reset-confirmation')
  await dialog.getByRole('button', { name: 'Reset 1 month' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByText('Cleared 1 month: 2011-03.')).toBeVisible()

  expect(await app().sql(`SELECT month_key FROM ops.processed_months WHERE month_key = '2011-03'`)).toEqual(
    [],
  )
  expect(
    await app().sql(`SELECT year, month FROM gold.fact_sales_monthly WHERE year = 2011 AND month = 3`),
  ).toEqual([{ year: 2011, month: 3 }])

  await console.show('Months')
  await expect(console.cell('2011-03')).toHaveAttribute('data-status', 'pending')
  await expect(console.cell('2011-04')).toHaveAttribute('data-status', 'completed')
})

test('cancelling the confirmation changes nothing; a month reset from its detail', async ({ page }) => {
  const console = new ConsolePage(page, app())
  await console.open('months')
  await console.cell('2011-04').click()
  await page.getByRole('button', { name: 'Reset this month…' }).click()
  const dialog = page.getByRole('dialog')
  await expect(dialog.getByTestId('reset-summary')).toHaveText(
    'This clears the processing state of 1 month: 2011-04.',
  )
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expect(console.cell('2011-04')).toHaveAttribute('data-status', 'completed')

  await page.getByRole('button', { name: 'Reset this month…' }).click()
  await dialog.getByRole('button', { name: 'Reset 1 month' }).click()
  await expect(console.cell('2011-04')).toHaveAttribute('data-status', 'pending')
  expect(
    await app().sql(`SELECT count(*)::int AS n FROM ops.processed_months WHERE status = 'completed'`),
  ).toEqual([{ n: 11 }])
})
