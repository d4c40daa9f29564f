import { expect, test } from '@playwright/test'
import { ConsolePage } from './pages/console-page'
import { LogsPage } from './pages/logs-page'
import { appForFile } from './support/app'
import { runAssay } from './support/cli'
import { serverUrl } from './support/paths'

// A zone away from UTC, so the filters' local-to-UTC conversion shows in the URL.
test.use({ timezoneId: 'Asia/Kolkata' })

const app = appForFile({}, async (a) => {
  await runAssay(['monthly', '--database-url', serverUrl(a.database!)])
})

test('a month, a run and the Logs filters are in the URL: links, reload, back and forward keep them', async ({
  page,
}) => {
  const console = new ConsolePage(page, app())
  // A link straight to a month opens it.
  await console.open('months/2011-03' as never)
  const detail = page.getByTestId('month-detail')
  await expect(detail).toHaveAttribute('data-month', '2011-03')

  // Its run ID is a link to the run; Back returns to the month.
  await detail.getByRole('link').first().click()
  await expect(page).toHaveURL(/#\/runs\/[0-9a-f-]{36}$/)
  await console.ready('Run detail')
  await page.goBack()
  await expect(detail).toHaveAttribute('data-month', '2011-03')
  await page.goForward()
  await console.ready('Run detail')

  // Logs filters and search text: set them, and they are in the URL; reload keeps them; Back undoes one.
  const logs = new LogsPage(page)
  await console.show('Logs')
  await page.getByLabel('Level').selectOption('INFO')
  await expect(page).toHaveURL(/#\/logs\?level=INFO$/)
  await page.getByLabel('Search', { exact: true }).fill('processed')
  await expect(page).toHaveURL(/#\/logs\?level=INFO&search=processed$/)
  await expect(logs.count).toContainText(/\d+ records? loaded/)
  const found = (await logs.count.textContent())!.match(/(\d+) records? loaded/)![0]
  await page.reload()
  await console.ready('Logs')
  await expect(page.getByLabel('Level')).toHaveValue('INFO')
  await expect(page.getByLabel('Search', { exact: true })).toHaveValue('processed')
  await expect(logs.count).toContainText(found)
  await console.snap('deep-links')
  await page.goBack()
  await expect(page.getByLabel('Search', { exact: true })).toHaveValue('')
  await expect(page.getByLabel('Level')).toHaveValue('INFO')

  // A run ID in the log table is a link to that run.
  await logs.rows.first().getByRole('link').click()
  await console.ready('Run detail')

  // Runs and Checkpoints filters are in the URL too.
  await console.show('Runs')
  await page.getByLabel('Status').selectOption('completed')
  await expect(page).toHaveURL(/#\/runs\?status=completed$/)
  await page.reload()
  await console.ready('Runs')
  await expect(page.getByLabel('Status')).toHaveValue('completed')

  // Their time range is typed as ISO local time, its zone named; text that is not ISO is refused inline.
  const from = page.getByLabel('From', { exact: true })
  await expect(page.locator('.time-zone')).toHaveText('UTC+05:30')
  await from.fill('03/01/2011')
  await expect(page.getByRole('alert')).toContainText('"03/01/2011" is not yyyy-mm-dd or yyyy-mm-dd HH:MM')
  await expect(from).toHaveAttribute('aria-invalid', 'true')
  await expect(page).toHaveURL(/#\/runs\?status=completed$/)
  await from.fill('2011-03-01')
  await expect(page).toHaveURL(/#\/runs\?status=completed&from=2011-02-28T18%3A30%3A00\.000Z$/)
  await expect(page.getByRole('alert')).toHaveCount(0)
  await page.reload()
  await console.ready('Runs')
  await expect(from).toHaveValue('2011-03-01')
  await console.open('checkpoints?stage=monthly_aggregate' as never)
  await expect(page.locator('tr[data-checkpoint]').first()).toContainText('monthly_aggregate')
  await expect(page.getByLabel('Stage')).toHaveValue('monthly_aggregate')
})
