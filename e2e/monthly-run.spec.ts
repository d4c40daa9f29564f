import { expect, test } from '@playwright/test'
import { ConsolePage } from './pages/console-page'
import { appForFile } from './support/app'
import { finished, spawnAssay } from './support/cli'
import { serverUrl } from './support/paths'

// Slow months down so progress is visible, and make 2011-03 fail once so a retry shows.
const app = appForFile({ env: { ASSAY_FAULTS: 'month:*:delay:250,month:2011-03:transient:1' } })

test('launch a monthly run by clicking and watch every month turn completed', async ({ page }) => {
  const console = new ConsolePage(page, app())
  await console.open('run')
  await expect(page.getByText('No run in this console yet')).toBeVisible()
  await console.snap('run')

  await console.submitRun()
  await console.expectJob('running', 10_000)
  await expect(console.runIndicator).toHaveAttribute('data-active', 'true')
  // The transient failure: the month shows its retry and when the next attempt is due.
  const march = console.unit('2011-03')
  await expect(march).toHaveAttribute('data-unit-state', 'retrying')
  await expect(march).toContainText(/attempt 1 of 4 failed: .* — next try at \d\d:\d\d:\d\d/)
  await console.snap('run-progress')

  await console.expectJob('completed')
  await expect(page.locator('tr[data-unit][data-unit-state="completed"]')).toHaveCount(13)
  await expect(march.locator('td').nth(2)).toHaveText('2')
  await expect(console.runIndicator).toHaveText('No run active')
  await console.snap('run-completed')

  await console.show('Months')
  await expect(console.cells).toHaveCount(13)
  await expect(page.locator('button.month-cell[data-status="completed"]')).toHaveCount(13)
  await console.cell('2011-03').click()
  const detail = page.getByTestId('month-detail')
  await expect(detail).toContainText('Completed')
  await expect(detail.locator('dt:text-is("Attempts") + dd')).toHaveText('2')

  const gold = await app().sql<{ n: number }>('SELECT count(*)::int AS n FROM gold.fact_sales_monthly')
  expect(gold[0]?.n).toBe(13)
})

test('the log table streams new records while a run is going, and filters on the server', async ({
  page,
}) => {
  const console = new ConsolePage(page, app())
  await console.open('logs')
  const loaded = async () => {
    const text = (await page.locator('.logs-panel .panel-header p').textContent()) ?? ''
    return Number(/([\d,]+) records? loaded/.exec(text)?.[1]?.replace(/,/g, '') ?? 0)
  }
  const before = await loaded()
  expect(before).toBeGreaterThan(0)

  // A forced run of 2011 from the CLI while the view is open: its records can only arrive through the live feed.
  const cli = spawnAssay(
    ['monthly', '--year', '2011', '--force', '--database-url', serverUrl(app().database!)],
    {
      ASSAY_FAULTS: 'month:*:delay:200',
    },
  )
  const exit = finished(cli)
  await expect(page.locator('.live-dot.on')).toBeVisible({ timeout: 15_000 })
  await expect.poll(loaded, { timeout: 30_000 }).toBeGreaterThanOrEqual(before + 5)
  await console.snap('logs')
  await expect.poll(loaded, { timeout: 30_000 }).toBeGreaterThanOrEqual(before + 12)
  expect((await exit).code).toBe(0)
  const rows = page.locator('.log-table tbody tr')
  await expect(rows.first()).toContainText('run completed')

  await page.getByLabel('Level').selectOption('INFO')
  await expect
    .poll(async () => new Set(await page.locator('.log-table tbody tr .level').allTextContents()))
    .toEqual(new Set(['INFO']))

  const runOption = await page.getByLabel('Run').locator('option').nth(1).getAttribute('value')
  await page.getByLabel('Level').selectOption('')
  await page.getByLabel('Run').selectOption(runOption!)
  // The filtered page replaces the unfiltered one when its response lands: wait for it rather than read the old rows.
  await expect
    .poll(async () => new Set(await page.locator('.log-table tbody tr .mono').allTextContents()))
    .toEqual(new Set([runOption!.slice(0, 8)]))
})
