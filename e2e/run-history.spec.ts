import { expect, test } from '@playwright/test'
import { ConsolePage } from './pages/console-page'
import { ExportDialog } from './pages/logs-page'
import { RunsPage } from './pages/runs-page'
import { appForFile } from './support/app'
import { setFaults } from './support/host-client'

// Faults are switched on and off mid-test through the host (the app allows it), so the resume can succeed.
const app = appForFile({ allowFaults: true })

test('a failed stage: highlighted with its error, SQLSTATE, classification and attempts; then resumed', async ({
  page,
}) => {
  const console = new ConsolePage(page, app())
  const runs = new RunsPage(page)
  // product_performance fails once with 40001 (transient: retried after ~1 s) and recovers; country_sales fails
  // every time with 22012 (permanent: not retried).
  await setFaults(app(), 'stage:product_performance:transient:1,stage:country_sales:permanent')
  await console.open('run')
  await page.getByRole('radio', { name: 'Reliable' }).check()
  await console.submitRun()
  await console.expectJob('failed')

  await console.show('Runs')
  const [failed] = await app().sql<{ run_id: string }>(
    `SELECT run_id FROM ops.pipeline_runs WHERE status = 'failed'`,
  )
  const runId = failed!.run_id
  await expect(runs.row(runId)).toHaveAttribute('data-status', 'failed')
  await expect(runs.row(runId)).toContainText('1/2 stages, 1 failed')
  await runs.openRun(runId)

  await runs.expectUnit('country_sales', 'failed')
  await runs.expectUnit('product_performance', 'completed')
  await expect(runs.unit('product_performance')).toContainText('↻1')
  const failure = runs.failure
  await expect(failure).toContainText('Stage country_sales failed')
  await expect(failure).toContainText('injected permanent fault in stage:country_sales')
  await expect(failure.getByTestId('sqlstate')).toHaveText('22012 (division_by_zero)')
  await expect(failure.getByTestId('classification')).toHaveText('permanent — not retried')
  await expect(failure.locator('tbody tr')).toHaveCount(1)
  // The transient failure that recovered: attempt 1 failed with 40001 and waited about a second, attempt 2 succeeded.
  const recovered = runs.recovered
  await expect(recovered).toContainText('product_performance recovered after 1 transient failure')
  await expect(runs.attempt(recovered, 1)).toHaveAttribute('data-outcome', 'failed')
  await expect(runs.attempt(recovered, 1)).toContainText('40001')
  await expect(runs.attempt(recovered, 1).locator('td').last()).toHaveText(/^1\.\d s$/)
  await expect(runs.attempt(recovered, 2)).toHaveAttribute('data-outcome', 'completed')
  // The run's logs next to it, in order, ending with the failure.
  await expect(page.locator('.trace-line').last()).toContainText(
    'Pipeline failed: stage country_sales failed',
  )
  await console.snap('runs-failed-stage')

  // A run's export is this run's checkpoints by default; the other choice says it is every run's (#14 item 12).
  const exporter = new ExportDialog(page)
  await exporter.open(page.locator('section.view[aria-label="Run detail"]'))
  await expect(exporter.dialog.getByRole('radio', { name: /^Exactly the current filter/ })).toBeChecked()
  await expect(
    exporter.dialog.getByRole('radio', { name: /^Everything in the table, not only this filter/ }),
  ).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(exporter.dialog).toBeHidden()

  // The cause is fixed: resume. The new run skips what completed and runs the failed stage again.
  await setFaults(app(), '')
  await page.getByRole('button', { name: 'Resume' }).click()
  await runs.expectUnit('country_sales', 'completed')
  await runs.expectUnit('product_performance', 'skipped')
  await expect(page.locator('.run-detail-view h2').first()).toContainText('Completed')
  const [resumed] = await app().sql<{ run_id: string; status: string }>(
    'SELECT run_id, status FROM ops.pipeline_runs WHERE resumed_from = $1',
    [runId],
  )
  expect(resumed?.status).toBe('completed')
  await expect(page.getByText('Resumed from')).toBeVisible()
  await console.snap('run-resumed')

  // History: newest first, filterable on the server.
  await page.getByRole('button', { name: '← All runs' }).click()
  await expect(runs.rows).toHaveCount(2)
  await page.getByLabel('Status').selectOption('failed')
  await expect(runs.rows).toHaveCount(1)
  await expect(runs.rows.first()).toHaveAttribute('data-run', runId)
})
