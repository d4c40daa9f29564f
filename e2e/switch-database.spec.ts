import { expect, test } from '@playwright/test'
import { ConsolePage } from './pages/console-page'
import { SettingsPage } from './pages/settings-page'
import { appForFile } from './support/app'
import { createDatabase, dropDatabase } from './support/databases'

const app = appForFile()
let empty: string
test.beforeAll(async () => {
  empty = await createDatabase()
})
test.afterAll(async () => {
  if (empty) await dropDatabase(empty)
})

// Issue #14, items 4 and 5: after Settings → Save and connect to an empty database nothing linked to setup, and
// the Run view still showed the previous database's last run.
test('switching to an empty database: Settings links to setup, and the last run of the old database is gone', async ({
  page,
}) => {
  const console = new ConsolePage(page, app())
  const settings = new SettingsPage(page)
  await console.open('run')
  await console.submitRun()
  await console.expectJob('completed')
  await expect(console.job).toContainText('Last run')

  await console.show('Settings')
  await expect(page.getByTestId('setup-callout')).toHaveCount(0)
  await settings.fillPostgres({ host: '127.0.0.1', port: 5432, database: empty, user: 'postgres' })
  await settings.connection.getByRole('button', { name: 'Save and connect' }).click()
  await expect(page.getByTestId('db-badge')).toContainText(`PostgreSQL 127.0.0.1:5432/${empty}`)
  // A deliberate switch is not an outage.
  await expect(console.banner.filter({ hasText: 'cannot reach' })).toHaveCount(0)

  const callout = page.getByTestId('setup-callout')
  await expect(callout).toContainText('This database is not set up yet.')
  // The Run tab offers setup, not the old database's last run.
  await page.getByRole('tab', { name: 'Run', exact: true }).click()
  await console.ready('Set up')
  await expect(console.job).toHaveCount(0)

  await console.show('Settings')
  await callout.getByRole('button', { name: 'Set it up' }).click()
  await console.ready('Set up')
  await expect(page.getByRole('heading', { name: 'Set up this database' })).toBeVisible()
})
