import { expect, test } from '@playwright/test'
import { ConsolePage } from './pages/console-page'
import { LogsPage } from './pages/logs-page'
import { appForFile } from './support/app'
import { query } from './support/databases'

const BLOB = 3 * 1024 * 1024

// One checkpoint and one log record with 3 MB of metadata each: pages carry a 16 KB preview, Show all the rest.
const app = appForFile({
  seed: async (database) => {
    await query(
      database,
      `INSERT INTO ops.pipeline_checkpoint (pipeline_name, run_id, stage, status, metadata)
       VALUES ('big_pipeline', 'big-run', 'big_stage', 'completed',
               jsonb_build_object('blob', repeat('x', $1::int) || 'END-OF-CHECKPOINT'))`,
      [BLOB],
    )
    await query(
      database,
      `INSERT INTO ops.pipeline_logs (level, message, logger, metadata)
       VALUES ('INFO', 'a record with huge metadata', 'assay.seed',
               jsonb_build_object('blob', repeat('y', $1::int) || 'END-OF-LOG'))`,
      [BLOB],
    )
  },
})

test('metadata over the item budget is cut to a preview, and Show all fetches it whole', async ({ page }) => {
  const console = new ConsolePage(page, app())
  await console.open('checkpoints')
  const row = page.locator('.checkpoints-table tbody tr').filter({ hasText: 'big_stage' })
  await row.locator('summary').click()
  const cell = row.locator('.metadata-cell')
  await expect(cell).toContainText('Cut to a preview (3')
  await expect(cell).not.toContainText('END-OF-CHECKPOINT')
  await cell.getByRole('button', { name: 'Show all' }).click()
  await expect(cell).toContainText('END-OF-CHECKPOINT')

  const logs = new LogsPage(page)
  await console.open('logs')
  const details = await logs.expand(logs.rows.filter({ hasText: 'a record with huge metadata' }))
  await expect(details).toContainText('Cut to a preview')
  await expect(details).not.toContainText('END-OF-LOG')
  await details.getByRole('button', { name: 'Show all' }).click()
  await expect(details).toContainText('END-OF-LOG')
})
