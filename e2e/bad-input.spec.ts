import { createServer } from 'node:net'
import { expect, test } from '@playwright/test'
import { ConsolePage } from './pages/console-page'
import { appForFile, startApp } from './support/app'
import { finished, spawnAssay } from './support/cli'
import { serverUrl } from './support/paths'

const app = appForFile()

test('every form says exactly what is wrong before anything is sent', async ({ page }) => {
  const console = new ConsolePage(page, app())
  await console.open('run')

  await console.chooseScope('One month')
  await page.locator('#run-month').fill('2011-13')
  await console.submitRun()
  await expect(page.locator('#run-month-error')).toHaveText('month 2011-13 is not a month (months are 01–12)')
  await expect(page.locator('#run-month')).toHaveAttribute('aria-invalid', 'true')

  await console.chooseScope('One year')
  await page.locator('#run-year').fill('20x1')
  await console.button('Dry run').click()
  await expect(page.locator('#run-year-error')).toHaveText(
    '"20x1" is not a year (expected four digits, e.g. 2011)',
  )

  await console.chooseScope('A range of months')
  await page.locator('#run-from').fill('2011-06')
  await page.locator('#run-to').fill('2011-01')
  await console.submitRun()
  await expect(page.locator('#run-to-error')).toHaveText(
    'the range starts after it ends (from must be on or before to)',
  )
  await console.snap('bad-input')

  const reset = page.getByRole('form', { name: 'Reset processing state' })
  await reset.getByLabel('Month').fill('March')
  await reset.getByRole('button', { name: 'Reset…' }).click()
  await expect(page.locator('#reset-month-error')).toHaveText(
    '"March" is not a month (expected YYYY-MM, e.g. 2011-03)',
  )
  await expect(page.getByRole('dialog')).toBeHidden()

  // Nothing reached the database.
  expect(await app().sql('SELECT count(*)::int AS n FROM ops.pipeline_runs')).toEqual([{ n: 0 }])
})

test('a month another runner holds is refused with who holds it', async ({ page }) => {
  const console = new ConsolePage(page, app())
  const cli = spawnAssay(
    ['monthly', '--year', '2011', '--month', '3', '--database-url', serverUrl(app().database!)],
    {
      ASSAY_FAULTS: 'month:2011-03:delay:30000',
    },
  )
  const exit = finished(cli)
  try {
    await console.open('months')
    await expect(console.cell('2011-03')).toHaveAttribute('data-status', 'in_progress', { timeout: 15_000 })
    await console.show('Run')
    await console.chooseScope('One month')
    await page.locator('#run-month').fill('2011-03')
    await console.submitRun()
    await expect(page.getByRole('form', { name: 'Start a run' }).locator('.inline-error')).toHaveText(
      /^a run is already active on 2011-03 from host \S+ \(run [0-9a-f]{8}, started \d\d:\d\d:\d\d UTC\) — wait for it to finish$/,
    )
  } finally {
    cli.kill('SIGINT')
    expect((await exit).code).toBe(130)
  }
})

test('an unreachable database shows a banner with the reason, not a blank screen', async ({ page }) => {
  // A port nobody listens on: take a free one and close it again.
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
  const down = await startApp({ databaseUrl: () => `postgres://postgres@127.0.0.1:${port}/retail_db` })
  try {
    const console = new ConsolePage(page, down)
    await page.goto(down.url)
    await expect(console.banner).toContainText(
      `cannot reach PostgreSQL at 127.0.0.1:${port}: connection refused — is the server running?`,
    )
    await expect(page.getByTestId('db-badge')).toContainText(`PostgreSQL 127.0.0.1:${port}/retail_db`)
    await expect(page.getByTestId('db-badge')).toHaveClass(/down/)
    await expect(page.getByText('Waiting for the database…')).toBeVisible()
    await console.snap('db-unreachable')
  } finally {
    await down.stop()
  }
})
