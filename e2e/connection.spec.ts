import { expect, test } from '@playwright/test'
import { TcpProxy } from '../src-main/test-support/tcp-proxy'
import { ConsolePage } from './pages/console-page'
import { appForFile } from './support/app'
import { serverUrl } from './support/paths'

let proxy: TcpProxy
test.beforeAll(async () => {
  proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(serverUrl()).port || 5432) })
})
test.afterAll(() => proxy.close())
// The console reaches its database through the proxy, which the test cuts and restores.
const app = appForFile(() => ({
  database: 'template',
  databaseUrl: (database) => {
    const url = new URL(serverUrl(database!))
    url.port = String(proxy.port)
    return url.toString()
  },
}))

test('losing the database shows a banner, requests fail with the reason, and it recovers when it returns', async ({
  page,
}) => {
  const console = new ConsolePage(page, app())
  await console.open('months')
  await expect(console.cells).toHaveCount(13)
  await expect(console.banner).toBeHidden()

  // The server goes away: new connections refused, open ones cut.
  await proxy.begin('refuse')
  await expect(console.banner).toContainText(`cannot reach PostgreSQL at 127.0.0.1:${proxy.port}`, {
    timeout: 20_000,
  })
  await expect(page.getByTestId('db-badge')).toHaveClass(/down/)
  await console.snap('db-connection-lost')
  await console.show('Run')
  await console.button('Dry run').click()
  await expect(page.getByRole('form', { name: 'Start a run' }).locator('.inline-error')).toContainText(
    `cannot reach PostgreSQL at 127.0.0.1:${proxy.port}`,
  )

  await proxy.end()
  await expect(console.banner).toBeHidden({ timeout: 20_000 })
  await expect(page.getByTestId('db-badge')).toHaveClass(/up/)
  await console.button('Dry run').click()
  await expect(page.getByTestId('plan-summary')).toHaveText('13 months would be processed.')
})
