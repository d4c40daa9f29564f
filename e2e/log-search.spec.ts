import { expect, test } from '@playwright/test'
import { ConsolePage } from './pages/console-page'
import { LogsPage } from './pages/logs-page'
import { appForFile } from './support/app'
import { query } from './support/databases'

const ROWS = 1_000_000

// One INSERT … SELECT generate_series before the console starts: a million records, three of which mention a rare
// word in the message and one only in its metadata (in capitals).
const app = appForFile({
  seed: async (database) => {
    await query(
      database,
      `INSERT INTO ops.pipeline_logs (timestamp, level, message, logger, pipeline_name, run_id, metadata)
       SELECT localtimestamp - ($1::int - i) * interval '50 ms',
              (ARRAY['INFO','INFO','DEBUG','WARNING','ERROR'])[1 + i % 5],
              CASE WHEN i IN (1000, 500001, 999003) THEN 'shipment to zanzibar delayed (' || i || ')'
                   ELSE (ARRAY['month processed','stage completed','retrying after a transient failure',
                               'run completed','checkpoint written'])[1 + i % 5] END,
              'assay.seed', 'seed_pipeline', 'seed-run-' || (i / 100000),
              CASE WHEN i = 750004 THEN '{"note": "rerouted via ZANZIBAR"}'::jsonb END
       FROM generate_series(1, $1::int) AS i`,
      [ROWS],
    )
    await query(database, 'ANALYZE ops.pipeline_logs')
  },
})

test.setTimeout(180_000)

test('search a million log records on the server: message and metadata, the whole table', async ({
  page,
}) => {
  const console = new ConsolePage(page, app())
  const logs = new LogsPage(page)
  await console.open('logs')
  await expect(logs.count).toContainText('200 records loaded (scroll for older)')
  // The count beside it: exact up to 10,000, a million records is "10,000+".
  await expect(logs.total).toHaveText(' · 10,000+ in all')

  await logs.search('ZanZibar', 4)
  await expect(logs.total).toHaveText(' · 4 match')
  const messages = await logs.rows.locator('.log-message').allTextContents()
  expect(messages.filter((m) => m.includes('shipment to zanzibar delayed'))).toHaveLength(3)
  // The oldest match is 999,000 records back: only a search over the whole table finds it.
  expect(messages.some((m) => m.includes('(1000)'))).toBe(true)
  const metadataOnly = logs.rows.filter({ hasText: 'checkpoint written' })
  await expect(metadataOnly).toHaveCount(1)
  const details = await logs.expand(metadataOnly)
  await expect(details.locator('pre')).toContainText('"note": "rerouted via ZANZIBAR"')
  await console.snap('logs-search')

  // Combined with a level filter, still on the server.
  await page.getByLabel('Level').selectOption('WARNING')
  await expect(logs.count).toContainText('1 record loaded')
  await expect(logs.total).toHaveText(' · 1 match')
  await expect(logs.rows).toHaveCount(1)
  await expect(logs.rows.first()).toContainText('(999003)')
  await logs.search('no-such-word-anywhere', 0)
  await expect(page.getByText('No records match these filters')).toBeVisible()
})

test('a count that runs out of time shows a lower bound at once, then the exact number', async ({ page }) => {
  const { database } = app()
  const console = new ConsolePage(page, app())
  const logs = new LogsPage(page)
  await console.open('logs')
  await expect(logs.total).toHaveText(' · 10,000+ in all')
  // Another session holds the table for 2 s, so the quick count's 500 ms budget runs out waiting for it (as on
  // a busy server); the patient count that follows gets the exact number.
  const holder = query(
    database!,
    `BEGIN; LOCK TABLE ops.pipeline_logs IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(2); COMMIT`,
  )
  await expect
    .poll(
      async () =>
        (
          await query<{ n: number }>(
            database!,
            `SELECT count(*)::int AS n FROM pg_locks WHERE relation = 'ops.pipeline_logs'::regclass AND mode = 'AccessExclusiveLock' AND granted`,
          )
        )[0]!.n,
    )
    .toBe(1)
  await logs.search('ZanZibar', 4)
  await holder
  await expect(logs.total).toHaveText(' · 4 match')
  await expect(logs.total).not.toHaveAttribute('title')
})
