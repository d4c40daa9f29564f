import { expect, test } from '@playwright/test'
import { ConsolePage } from './pages/console-page'
import { proxiedAppForFile } from './support/proxied-app'

// The console reaches its database through the proxy, which the test cuts and restores.
const { app, proxy } = proxiedAppForFile()

test('losing the database shows a banner, requests fail with the reason, and it recovers when it returns', async ({
  page,
}) => {
  const console = new ConsolePage(page, app())
  await console.open('months')
  await expect(console.cells).toHaveCount(13)
  await expect(console.banner).toBeHidden()

  // The server goes away: new connections refused, open ones cut.
  await proxy().begin('refuse')
  await expect(console.banner).toContainText(`cannot reach PostgreSQL at 127.0.0.1:${proxy().port}`, {
    timeout: 20_000,
  })
  await expect(page.getByTestId('db-badge')).toHaveClass(/down/)
  await console.snap('db-connection-lost')
  await console.show('Run')
  await console.button('Dry run').click()
  await expect(page.getByRole('form', { name: 'Start a run' }).locator('.inline-error')).toContainText(
    `cannot reach PostgreSQL at 127.0.0.1:${proxy().port}`,
  )

  await proxy().end()
  await expect(console.banner).toBeHidden({ timeout: 20_000 })
  await expect(page.getByTestId('db-badge')).toHaveClass(/up/)
  await console.button('Dry run').click()
  await expect(page.getByTestId('plan-summary')).toHaveText('13 months would be processed.')
})
