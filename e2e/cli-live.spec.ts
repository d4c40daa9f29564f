import { expect, test } from '@playwright/test'
import { ConsolePage } from './pages/console-page'
import { appForFile } from './support/app'
import { finished, spawnAssay } from './support/cli'
import { serverUrl } from './support/paths'

const app = appForFile()

test('a run started with the CLI appears live in the console', async ({ page }) => {
  const console = new ConsolePage(page, app())
  await console.open('months')
  await expect(page.locator('button.month-cell[data-status="pending"]')).toHaveCount(13)
  await expect(console.runIndicator).toHaveText('No run active')

  // Another process, as cron or a colleague's terminal would start it; slowed so it can be watched.
  const cli = spawnAssay(['monthly', '--database-url', serverUrl(app().database!)], {
    ASSAY_FAULTS: 'month:*:delay:400',
  })
  const exit = finished(cli)

  await expect(console.runIndicator).toHaveText('Run active (CLI)', { timeout: 15_000 })
  await expect(page.locator('button.month-cell[data-status="in_progress"]')).toHaveCount(1, {
    timeout: 15_000,
  })
  await console.show('Run')
  const elsewhere = page.locator('.external')
  await expect(elsewhere).toContainText('Monthly run from the CLI')
  await expect(elsewhere).toContainText(/\d+ of 13 done/)
  await console.snap('run-from-cli')

  const result = await exit
  expect(result.code).toBe(0)
  await expect(elsewhere).toBeHidden({ timeout: 15_000 })
  await expect(console.runIndicator).toHaveText('No run active')
  await console.show('Months')
  await expect(page.locator('button.month-cell[data-status="completed"]')).toHaveCount(13)
})
