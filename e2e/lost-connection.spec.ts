import { expect, test } from '@playwright/test'
import { ConsolePage } from './pages/console-page'
import { RunsPage } from './pages/runs-page'
import { proxiedAppForFile } from './support/proxied-app'

// The console reaches its database through the proxy, which the test cuts mid-run and restores. 2011-03's write
// takes 5 s, so the cut lands while it is in flight.
const { app, proxy } = proxiedAppForFile({ env: { ASSAY_FAULTS: 'month:2011-03:delay:5000' } })

test.setTimeout(180_000)

// Issue #14, item 2: after a lost connection mid-run the Run view said Failed while Runs said otherwise, retries
// showed 0, the duration "—", the month in flight stayed a running bar, and the retry errors were nowhere.
test('a run that loses its database mid-run reads Interrupted everywhere, with its retries, duration and errors', async ({
  page,
}) => {
  const console = new ConsolePage(page, app())
  const runs = new RunsPage(page)
  await console.open('run')
  await console.submitRun()
  const march = console.unit('2011-03')
  await expect(march).toHaveAttribute('data-unit-state', 'running', { timeout: 60_000 })

  await proxy().begin('refuse')
  await expect(console.job).not.toHaveAttribute('data-job-status', 'running', { timeout: 120_000 })
  await proxy().end()

  // The Run view: the job and its run are Interrupted (their end could not be recorded), never Failed; the month
  // in flight failed with its real error once its retries ran out.
  await expect(console.job).toHaveAttribute('data-job-status', 'interrupted')
  await expect(console.job.locator('.run-block')).toHaveAttribute('data-run-status', 'interrupted')
  await expect(march).toHaveAttribute('data-unit-state', 'failed')
  await expect(march).toContainText('after 4 attempts')
  await expect(console.job.locator('.panel-header .badge')).toHaveText('Interrupted')
  await expect(console.banner).toBeHidden({ timeout: 30_000 })

  // After a reload: Runs and the run detail say the same, with what the run really did.
  const runId = await console.job.locator('.run-block').getAttribute('data-run-id')
  await page.reload()
  await console.ready('Run')
  await expect(console.job).toHaveAttribute('data-job-status', 'interrupted')
  await console.show('Runs')
  await expect(runs.row(runId!)).toHaveAttribute('data-status', 'interrupted', { timeout: 30_000 })
  await expect(runs.row(runId!)).toContainText('Interrupted')
  await runs.openRun(runId!)
  await expect(page.getByTestId('run-retries')).not.toHaveText('0')
  await expect(page.getByTestId('run-duration')).not.toHaveText('—')
  await expect(runs.unit('2011-03')).not.toHaveAttribute('data-status', 'in_progress')
  await expect(runs.unit('2011-03')).not.toHaveAttribute('data-status', 'running')
  // Its retries, back-filled from the spool once the database returned: attempts on the timeline, errors in its logs.
  await expect(runs.unit('2011-03').locator('[data-attempt="1"][data-kind="failed"]')).toHaveAttribute(
    'title',
    /ECONNRE/,
  )
  await expect(page.locator('.trace-line', { hasText: 'attempt 1 of 4 failed for 2011-03' })).toBeVisible()
  await console.snap('run-interrupted')
})
