import { expect, type Locator, type Page } from '@playwright/test'

/** The Settings view: connection form, retry policy, retention, theme. */
export class SettingsPage {
  constructor(readonly page: Page) {}

  get connection(): Locator {
    return this.page.getByRole('form', { name: 'Connection' })
  }

  async fillPostgres(c: { host: string; port: number; database: string; user: string; password?: string }) {
    const f = this.connection
    await f.getByRole('radio', { name: 'PostgreSQL server' }).check()
    await f.getByLabel('Host').fill(c.host)
    await f.getByLabel('Port').fill(String(c.port))
    await f.getByLabel('Database', { exact: true }).fill(c.database)
    await f.getByLabel('User').fill(c.user)
    await f.getByLabel('Password', { exact: true }).fill(c.password ?? '')
  }

  get testResult(): Locator {
    return this.page.getByTestId('connection-test')
  }

  get retry(): Locator {
    return this.page.getByRole('form', { name: 'Retry policy' })
  }

  get retention(): Locator {
    return this.page.getByRole('form', { name: 'Log retention' })
  }

  async theme(name: 'Light' | 'Dark' | 'Same as the system'): Promise<void> {
    await this.page.getByRole('radio', { name }).check()
    await expect(this.page.getByRole('radio', { name })).toBeChecked()
  }
}
