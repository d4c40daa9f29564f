import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { type PasswordServer, startPasswordServer } from '../src-main/test-support/password-server'
import { ConsolePage } from './pages/console-page'
import { SettingsPage } from './pages/settings-page'
import { appForFile } from './support/app'
import { createDatabase, dropDatabase, query } from './support/databases'

const app = appForFile()
let fake: PasswordServer
let second: string
test.beforeAll(async () => {
  // A server that asks for a password and refuses it (the test server itself trusts everyone).
  fake = await startPasswordServer()
  second = await createDatabase(process.env.ASSAY_E2E_TEMPLATE)
})
test.afterAll(async () => {
  await fake?.close()
  if (second) await dropDatabase(second)
})

test('settings round trip: a wrong password explained, another database connected and remembered', async ({
  page,
}) => {
  const console = new ConsolePage(page, app())
  const settings = new SettingsPage(page)
  await console.open('settings')
  const badge = page.getByTestId('db-badge')
  await expect(badge).toContainText(app().database!)

  await settings.fillPostgres({
    host: '127.0.0.1',
    port: fake.port,
    database: 'retail_db',
    user: 'analyst',
    password: 'wrong',
  })
  await settings.connection.getByRole('button', { name: 'Test connection' }).click()
  const refusal = `password authentication failed for user "analyst" at 127.0.0.1:${fake.port} — check the password`
  await expect(settings.testResult).toHaveText(`✕ ${refusal}`)
  await settings.connection.getByRole('button', { name: 'Save and connect' }).click()
  await expect(settings.connection.locator('.inline-error')).toHaveText(refusal)
  await expect(badge).toContainText(app().database!)
  expect(fake.passwords).toEqual(['wrong', 'wrong'])
  await console.snap('settings-wrong-password')

  await settings.fillPostgres({ host: '127.0.0.1', port: 5432, database: second, user: 'postgres' })
  // TLS: the local test server has none, so require fails with the engine's explanation; disable and prefer connect.
  const sslmode = settings.connection.getByLabel('TLS (sslmode)')
  await sslmode.selectOption('require')
  await expect(settings.connection).toContainText('TLS or fail; the certificate is not checked')
  await settings.connection.getByRole('button', { name: 'Test connection' }).click()
  await expect(settings.testResult).toHaveText(
    '✕ PostgreSQL at 127.0.0.1:5432 does not accept TLS connections, but sslmode=require (from console settings) requires TLS — turn on ssl in the server, or use sslmode=prefer or disable',
  )
  for (const mode of ['disable', 'prefer']) {
    await sslmode.selectOption(mode)
    await settings.connection.getByRole('button', { name: 'Test connection' }).click()
    await expect(settings.testResult).toContainText(`✓ connected to PostgreSQL`)
  }
  await settings.connection.getByRole('button', { name: 'Save and connect' }).click()
  await expect(settings.connection.getByRole('status')).toHaveText(
    `Connected to postgres postgres@127.0.0.1:5432/${second} and saved.`,
  )
  await expect(badge).toContainText(`PostgreSQL 127.0.0.1:5432/${second}`)

  // Retry policy: saved, and used by the next run started here (the run records it).
  await settings.retry.getByLabel('Attempts').fill('2')
  await settings.retry.getByLabel('Base delay (s)').fill('0.5')
  await settings.retry.getByLabel('Cap (s)').fill('2')
  await expect(settings.retry).toContainText('This policy waits 500 ms (+ up to 25 % jitter).')
  await settings.retry.getByRole('button', { name: 'Save retry policy' }).click()
  await expect(settings.retry.getByRole('status')).toContainText('Saved')
  await settings.theme('Dark')
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await console.snap('settings-dark')

  // Everything survives a reload; the password was never written anywhere.
  await page.reload()
  await console.ready('Settings')
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await expect(settings.connection.getByLabel('Database', { exact: true })).toHaveValue(second)
  await expect(settings.retry.getByLabel('Attempts')).toHaveValue('2')
  await expect(page.getByText('The browser console never stores passwords')).toBeVisible()
  const file = readFileSync(join(app().configDir, 'assay', 'settings.json'), 'utf8')
  expect(JSON.parse(file)).toMatchObject({
    connection: {
      kind: 'postgres',
      host: '127.0.0.1',
      port: 5432,
      database: second,
      user: 'postgres',
      sslmode: 'prefer',
    },
    retry: { maxAttempts: 2, baseDelayMs: 500, maxDelayMs: 2000 },
    theme: 'dark',
  })
  expect(file).not.toContain('wrong')

  await console.show('Run')
  await page.getByRole('radio', { name: 'Reliable' }).check()
  await console.submitRun()
  await console.expectJob('completed')
  const [run] = await query<{ retry: unknown }>(
    second,
    `SELECT args->'retry' AS retry FROM ops.pipeline_runs`,
  )
  expect(run?.retry).toEqual({ maxAttempts: 2, baseDelayMs: 500, maxDelayMs: 2000 })
  await console.show('Settings')
  await settings.theme('Light')
})

test('log retention: preview how many rows are old, confirm, delete', async ({ page }) => {
  const console = new ConsolePage(page, app())
  const settings = new SettingsPage(page)
  // The console is on the second database now (the saved connection of the test above).
  await query(
    second,
    `UPDATE ops.pipeline_logs SET timestamp = timestamp - interval '40 days' WHERE id IN (SELECT id FROM ops.pipeline_logs ORDER BY id LIMIT 3)`,
  )
  await query(
    second,
    `UPDATE ops.pipeline_checkpoint SET updated_at = updated_at - interval '40 days' WHERE id IN (SELECT id FROM ops.pipeline_checkpoint ORDER BY id LIMIT 1)`,
  )
  await console.open('settings')
  await settings.retention.getByLabel('Delete records older than (days)').fill('30')
  await settings.retention.getByRole('button', { name: 'Preview' }).click()
  const confirm = page.getByRole('dialog', { name: 'Delete old logs and checkpoints?' })
  await expect(confirm.getByTestId('retention-preview')).toContainText(
    '3 log records and 1 checkpoint are older than 30 days',
  )
  await console.snap('settings-retention')
  await confirm.getByRole('button', { name: 'Delete 4 rows' }).click()
  await expect(settings.retention.getByRole('status')).toHaveText('Deleted 3 log records and 1 checkpoint.')
  const [left] = await query<{ n: number }>(
    second,
    `SELECT count(*)::int AS n FROM ops.pipeline_logs WHERE timestamp < now() - interval '30 days'`,
  )
  expect(left?.n).toBe(0)

  // Previewed again, nothing is that old: no "Delete 0 rows" is offered (#14 item 12).
  await settings.retention.getByRole('button', { name: 'Preview' }).click()
  await expect(confirm.getByRole('button', { name: 'Nothing to delete' })).toBeDisabled()
  await expect(confirm.getByRole('button', { name: /^Delete \d/ })).toHaveCount(0)
})
