import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { ConsolePage } from './pages/console-page'
import { appForFile } from './support/app'
import { ROOT } from './support/paths'

const app = appForFile({ database: 'empty' })

test('an empty database: create the schemas, load demo data, and reach a completed run in under a minute', async ({
  page,
}) => {
  const console = new ConsolePage(page, app())
  const started = Date.now()
  await console.open()
  await console.ready('Set up')
  await expect(page.getByRole('heading', { name: 'Set up this database' })).toBeVisible()
  await expect(page.getByTestId('db-badge')).toContainText(`PostgreSQL 127.0.0.1:5432/${app().database}`)
  // Every tab stays usable (none strands the user), and each says the database is not set up yet.
  await expect(page.getByRole('tab', { name: 'Months' })).toBeEnabled()
  await expect(page.getByRole('tab', { name: 'Months' })).toHaveAttribute('title', /not set up yet/)
  await console.snap('first-run')

  await console.button('Create schemas').click()
  await expect(page.locator('[data-step="init"]')).toHaveClass(/done/)
  const migrations = readdirSync(join(ROOT, 'sql')).filter((f) => /^\d{4}_\w+\.sql$/.test(f)).length
  expect(await app().sql(`SELECT count(*)::int AS n FROM ops.schema_migrations`)).toEqual([{ n: migrations }])

  await console.button('Load demo data').click()
  await expect(page.getByRole('heading', { name: 'Your data is ready' })).toBeVisible({ timeout: 60_000 })
  await console.button('Run all pending months').click()
  await console.expectJob('completed')
  await expect(page.locator('tr[data-unit][data-unit-state="completed"]')).toHaveCount(13)
  expect(Date.now() - started).toBeLessThan(60_000)

  const gold = await app().sql<{ n: number }>('SELECT count(*)::int AS n FROM gold.fact_sales_monthly')
  expect(gold[0]?.n).toBe(13)
  await expect(console.runIndicator).toHaveText('No run active')
})
