import { test } from '@playwright/test'
import { TcpProxy } from '../../src-main/test-support/tcp-proxy'
import { type App, type AppOptions, appForFile } from './app'
import { serverUrl } from './paths'

/**
 * A console for this spec file that reaches its scratch database through a TCP proxy the spec can cut
 * (`proxy().begin('refuse')`) and restore (`proxy().end()`). The proxy lives as long as the file's tests.
 */
export function proxiedAppForFile(options: Omit<AppOptions, 'database' | 'databaseUrl'> = {}): {
  app: () => App
  proxy: () => TcpProxy
} {
  let proxy: TcpProxy | undefined
  test.beforeAll(async () => {
    proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(serverUrl()).port || 5432) })
  })
  test.afterAll(() => proxy?.close())
  const live = (): TcpProxy => {
    if (!proxy) throw new Error('the proxy starts in beforeAll; use it inside a test')
    return proxy
  }
  const app = appForFile(() => ({
    ...options,
    database: 'template',
    databaseUrl: (database) => {
      const url = new URL(serverUrl(database!))
      url.port = String(live().port)
      return url.toString()
    },
  }))
  return { app, proxy: live }
}
