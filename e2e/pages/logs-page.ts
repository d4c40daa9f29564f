import { type Download, expect, type Locator, type Page } from '@playwright/test'

/** The Logs view: search and filters, the virtualized table, expanding a record, exporting to CSV. */
export class LogsPage {
  constructor(readonly page: Page) {}

  get rows(): Locator {
    return this.page.locator('.log-table tbody tr')
  }

  get count(): Locator {
    return this.page.getByTestId('log-count')
  }

  /** How many records the filters match, beside the count loaded. */
  get total(): Locator {
    return this.page.getByTestId('log-total')
  }

  /** Types a search and waits until the table shows `records` results. */
  async search(text: string, records: number): Promise<void> {
    await this.page.getByLabel('Search', { exact: true }).fill(text)
    await expect(this.count).toContainText(
      `${records.toLocaleString('en')} record${records === 1 ? '' : 's'} loaded`,
      {
        timeout: 20_000,
      },
    )
  }

  async expand(row: Locator): Promise<Locator> {
    await row.getByRole('button', { name: 'Show details and metadata' }).click()
    return row.locator('.log-expanded')
  }
}

/** The export dialog, shared by Logs, Runs, Checkpoints and a run's detail. */
export class ExportDialog {
  constructor(readonly page: Page) {}

  get dialog(): Locator {
    return this.page.getByTestId('export-dialog')
  }

  async open(scope: Locator = this.page.locator('section.view')): Promise<void> {
    await scope.getByRole('button', { name: 'Export CSV…' }).first().click()
    await expect(this.dialog).toBeVisible()
  }

  /** Chooses the rows (an explain export has one choice: its level) and BOM, exports, and returns the browser download once the export is done. */
  async export(options: { scope: 'filtered' | 'all' | 'level'; bom: boolean }): Promise<Download> {
    const d = this.dialog
    const name = {
      filtered: /Exactly the current filter/,
      all: /Everything/,
      level: /Every row of this level/,
    }
    await d.getByRole('radio', { name: name[options.scope] }).check()
    const bom = d.getByRole('checkbox', { name: /byte order mark/ })
    if ((await bom.isChecked()) !== options.bom) await bom.click()
    const download = this.page.waitForEvent('download')
    await d.getByRole('button', { name: 'Export', exact: true }).click()
    const file = await download
    await expect(d.getByRole('status')).toContainText(/Exported [\d,]+ rows/, { timeout: 30_000 })
    return file
  }
}
