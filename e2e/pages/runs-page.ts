import { expect, type Locator, type Page } from '@playwright/test'

/** The Runs view: history rows and one run's detail (timeline, failure, attempts, logs). */
export class RunsPage {
  constructor(readonly page: Page) {}

  row(runId: string): Locator {
    return this.page.locator(`tr[data-run="${runId}"]`)
  }

  get rows(): Locator {
    return this.page.locator('tr[data-run]')
  }

  /** Opens a run's detail from its row and waits for it. */
  async openRun(runId: string): Promise<void> {
    await this.row(runId).getByRole('button').click()
    await this.page.locator('section.view[data-state="ready"][aria-label="Run detail"]').waitFor()
  }

  /** A unit's row in the timeline. */
  unit(name: string): Locator {
    return this.page.locator(`.timeline tr[data-unit="${name}"]`)
  }

  get failure(): Locator {
    return this.page.getByTestId('unit-failure')
  }

  get recovered(): Locator {
    return this.page.getByTestId('unit-recovered')
  }

  attempt(section: Locator, n: number): Locator {
    return section.locator(`tr[data-attempt="${n}"]`)
  }

  async expectUnit(name: string, status: string): Promise<void> {
    await expect(this.unit(name)).toHaveAttribute('data-status', status, { timeout: 30_000 })
  }
}
