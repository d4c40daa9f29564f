import { expect, type Locator, type Page } from '@playwright/test'
import type { App } from '../support/app'
import { SCREENSHOTS } from '../support/paths'

export type ViewName =
  | 'Overview'
  | 'Run'
  | 'Runs'
  | 'Months'
  | 'Checkpoints'
  | 'Logs'
  | 'Settings'
  | 'Explain'
export type ViewHash = 'overview' | 'run' | 'runs' | 'months' | 'checkpoints' | 'logs' | 'settings'

/** The console as a user sees it: views, the run form, the months grid, the log table. */
export class ConsolePage {
  constructor(
    readonly page: Page,
    readonly app: App,
  ) {}

  /** Opens the console from the URL `assay serve` printed and waits for a view to be ready. */
  async open(view: ViewHash | `runs/${string}` | `explain?${string}` = 'run'): Promise<void> {
    await this.page.goto(`${this.app.url}#/${view}`)
    await this.ready()
  }

  /** The open view, once it has loaded its data. */
  ready(label?: ViewName | 'Set up' | 'Run detail'): Promise<void> {
    const name = label ? `[aria-label="${label}"]` : ''
    return this.page.locator(`section.view[data-state="ready"]${name}`).waitFor()
  }

  async show(view: ViewName): Promise<void> {
    await this.page.getByRole('tab', { name: view, exact: true }).click()
    await this.ready(view)
  }

  button(name: string): Locator {
    return this.page.getByRole('button', { name, exact: true })
  }

  // Run view
  get job(): Locator {
    return this.page.locator('.job')
  }

  unit(key: string): Locator {
    return this.page.locator(`tr[data-unit="${key}"]`)
  }

  async chooseScope(
    label: 'All months that need work' | 'One year' | 'One month' | 'A range of months',
  ): Promise<void> {
    await this.page.getByRole('radio', { name: label }).check()
  }

  /** Runs the form's validation and, if it passes, starts the run. */
  async submitRun(): Promise<void> {
    await this.page
      .getByRole('form', { name: 'Start a run' })
      .getByRole('button', { name: 'Run', exact: true })
      .click()
  }

  async expectJob(status: 'running' | 'completed' | 'failed' | 'cancelled', timeout = 60_000): Promise<void> {
    await expect(this.job).toHaveAttribute('data-job-status', status, { timeout })
  }

  // Months view
  cell(key: string): Locator {
    return this.page.locator(`button.month-cell[data-month="${key}"]`)
  }

  get cells(): Locator {
    return this.page.locator('button.month-cell')
  }

  // Header
  get runIndicator(): Locator {
    return this.page.getByTestId('run-indicator')
  }

  get banner(): Locator {
    return this.page.locator('.banner')
  }

  /** A screenshot of the whole window for docs/screenshots (animations stopped so it is stable). */
  async snap(name: string): Promise<void> {
    await this.page.screenshot({ path: `${SCREENSHOTS}${name}.png`, animations: 'disabled' })
  }
}
