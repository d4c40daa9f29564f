import { expect, test } from '@playwright/test'
import { ConsolePage } from './pages/console-page'
import { appForFile } from './support/app'
import { finished, spawnAssay } from './support/cli'
import { serverUrl } from './support/paths'

// Every month processed by the CLI, 2011-05 failed (a permanent fault in that run only).
const app = appForFile({}, async (a) => {
  const url = serverUrl(a.database!)
  await finished(spawnAssay(['monthly', '--database-url', url], { ASSAY_FAULTS: 'month:2011-05:permanent' }))
})

test('month sets: shift-click, ctrl-click and drag pick months; dry-run, force and reset act on exactly them', async ({
  page,
}) => {
  test.setTimeout(120_000)
  const console = new ConsolePage(page, app())
  await console.open('months')
  const set = page.getByTestId('month-set')

  await console.cell('2011-02').click()
  await console.cell('2011-04').click({ modifiers: ['Shift'] })
  await expect(set).toHaveAttribute('data-months', '2011-02,2011-03,2011-04')
  await console.cell('2011-07').click({ modifiers: ['Control'] })
  await expect(set).toHaveAttribute('data-months', '2011-02,2011-03,2011-04,2011-07')
  await expect(console.cell('2011-07')).toHaveAttribute('aria-pressed', 'true')
  await expect(console.cell('2011-06')).toHaveAttribute('aria-pressed', 'false')

  // A dry-run of the set: completed months are up to date, nothing else is in the plan.
  await set.getByRole('button', { name: 'Dry run' }).click()
  await expect(set).toContainText('No month needs processing; 4 months skipped.')

  // Reset exactly the set.
  await set.getByRole('button', { name: 'Reset these months…' }).click()
  const dialog = page.getByRole('dialog')
  await expect(dialog.getByTestId('reset-summary')).toHaveText(
    'This clears the processing state of 4 months: 2011-02, 2011-03, 2011-04, 2011-07.',
  )
  await dialog.getByRole('button', { name: 'Reset 4 months' }).click()
  await expect(console.cell('2011-03')).toHaveAttribute('data-status', 'pending')
  await expect(console.cell('2011-07')).toHaveAttribute('data-status', 'pending')
  await expect(console.cell('2011-06')).toHaveAttribute('data-status', 'completed')

  // Picked again, the same set is now work to do: its dry-run lists each month with its change to gold.
  await console.cell('2011-02').click()
  await console.cell('2011-04').click({ modifiers: ['Shift'] })
  await console.cell('2011-07').click({ modifiers: ['Control'] })
  await set.getByRole('button', { name: 'Dry run' }).click()
  await expect(set).toContainText('4 months would be processed.')
  await console.snap('month-set')
  await set.getByRole('button', { name: 'Clear' }).click()

  // Drag across three months, then process them (forced).
  await console.cell('2011-08').hover()
  await page.mouse.down()
  await console.cell('2011-09').hover()
  await console.cell('2011-10').hover()
  await page.mouse.up()
  await expect(set).toHaveAttribute('data-months', '2011-08,2011-09,2011-10')
  await set.getByRole('button', { name: 'Force', exact: true }).click()
  await expect
    .poll(
      async () =>
        (
          await app().sql<{ n: string }>(
            `SELECT count(*) AS n FROM ops.pipeline_runs WHERE args->'scope'->>'kind' = 'months' AND status = 'completed'`,
          )
        )[0]!.n,
    )
    .toBe('1')

  // Overview: re-run only the failed month.
  await console.open('overview')
  const rerun = page.getByTestId('rerun-failed')
  await expect(rerun).toContainText('1 month failed: 2011-05')
  await rerun.getByRole('button', { name: 'Re-run failed months only' }).click()
  await expect(rerun).toBeHidden({ timeout: 30_000 })
  expect(await app().sql(`SELECT status FROM ops.processed_months WHERE month_key = '2011-05'`)).toEqual([
    { status: 'completed' },
  ])
})
