import type { BrowserWindow, WebContents } from 'electron'
import { describe, expect, it } from 'vitest'
import {
  type AppPage,
  denyPermissions,
  devOriginOf,
  isAllowedExternal,
  isAppUrl,
  isTrustedSender,
  lockDown,
} from './security.js'

function window(id: number, destroyed = false): BrowserWindow {
  return { isDestroyed: () => destroyed, webContents: { id } } as unknown as BrowserWindow
}

const packaged: AppPage = { indexUrl: 'file:///opt/Assay/resources/app/out/renderer/index.html' }
const dev: AppPage = { ...packaged, devOrigin: 'http://localhost:5173' }

describe('desktop security', () => {
  it('answers IPC only from its own windows showing its own page', () => {
    const windows = [window(1)]
    const from = (id: number, url: string) => ({ sender: { id }, senderFrame: { url } }) as never
    expect(isTrustedSender(from(1, `${packaged.indexUrl}#/runs`), windows, packaged)).toBe(true)
    expect(isTrustedSender(from(2, packaged.indexUrl), windows, packaged)).toBe(false)
    expect(isTrustedSender(from(1, 'https://evil.example/'), windows, packaged)).toBe(false)
    // Any other local HTML file opened in the window gets no bridge.
    expect(isTrustedSender(from(1, 'file:///home/u/Downloads/evil.html'), windows, packaged)).toBe(false)
    expect(isTrustedSender(from(1, 'http://localhost:5173/'), windows, dev)).toBe(true)
    expect(isTrustedSender(from(1, packaged.indexUrl), [window(1, true)], packaged)).toBe(false)
  })

  it('recognises the app’s own page exactly: not other files, not a look-alike dev origin', () => {
    expect(isAppUrl(packaged.indexUrl, packaged)).toBe(true)
    expect(isAppUrl(`${packaged.indexUrl}?x=1#/logs`, packaged)).toBe(true)
    expect(isAppUrl('file:///opt/Assay/resources/app/out/renderer/other.html', packaged)).toBe(false)
    expect(isAppUrl('file:///tmp/index.html', packaged)).toBe(false)
    expect(isAppUrl('https://example.com', packaged)).toBe(false)
    expect(isAppUrl('http://localhost:5173.evil.com/', dev)).toBe(false)
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false)
    expect(isAppUrl(packaged.indexUrl, dev)).toBe(false)
  })

  it('takes a dev server only on loopback, as an origin', () => {
    expect(devOriginOf('http://localhost:5173/')).toBe('http://localhost:5173')
    expect(devOriginOf('http://localhost:5173.evil.com')).toBeUndefined()
    expect(devOriginOf('https://evil.example')).toBeUndefined()
    expect(devOriginOf('file:///tmp/x.html')).toBeUndefined()
    expect(devOriginOf('not a url')).toBeUndefined()
    expect(devOriginOf(undefined)).toBeUndefined()
  })

  it('opens only allow-listed https pages in the browser', () => {
    expect(isAllowedExternal('https://www.postgresql.org/docs/current/libpq-ssl.html')).toBe(true)
    expect(isAllowedExternal('https://evil.example/')).toBe(false)
    expect(isAllowedExternal('https://www.postgresql.org.evil.example/docs/')).toBe(false)
    expect(isAllowedExternal('http://www.postgresql.org/docs/')).toBe(false)
    expect(isAllowedExternal('https://user:pw@github.com/')).toBe(false)
    expect(isAllowedExternal('file:///etc/passwd')).toBe(false)
  })

  it('denies every permission check and request but notifications (opt-in in Settings)', () => {
    let check: ((c: unknown, p: string) => boolean) | undefined
    let request: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined
    denyPermissions({
      setPermissionCheckHandler: (handler: never) => {
        check = handler
      },
      setPermissionRequestHandler: (handler: never) => {
        request = handler
      },
    } as never)
    for (const permission of ['media', 'geolocation', 'clipboard-read', 'openExternal'])
      expect(check?.(undefined, permission)).toBe(false)
    expect(check?.(undefined, 'notifications')).toBe(true)
    const answers: Record<string, boolean> = {}
    for (const permission of ['media', 'notifications'])
      request?.(undefined, permission, (ok) => {
        answers[permission] = ok
      })
    expect(answers).toEqual({ media: false, notifications: true })
  })

  it('blocks navigation away from the app and every new window', () => {
    const handlers: Record<string, (event: { preventDefault: () => void }, url: string) => void> = {}
    let openHandler: ((details: { url: string }) => { action: string }) | undefined
    const contents = {
      on: (name: string, handler: (event: { preventDefault: () => void }, url: string) => void) => {
        handlers[name] = handler
      },
      setWindowOpenHandler: (handler: typeof openHandler) => {
        openHandler = handler
      },
    } as unknown as WebContents
    const opened: string[] = []
    lockDown(contents, packaged, (url) => opened.push(url))

    let prevented = 0
    const event = { preventDefault: () => prevented++ }
    handlers['will-navigate']?.(event, 'https://evil.example/')
    handlers['will-navigate']?.(event, 'file:///home/u/Downloads/evil.html')
    handlers['will-navigate']?.(event, packaged.indexUrl)
    handlers['will-redirect']?.(event, 'https://evil.example/')
    handlers['will-attach-webview']?.(event, '')
    expect(prevented).toBe(4)
    expect(openHandler?.({ url: 'https://www.postgresql.org/docs/current/' })).toEqual({ action: 'deny' })
    expect(openHandler?.({ url: 'https://docs.example/' })).toEqual({ action: 'deny' })
    expect(openHandler?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' })
    expect(opened).toEqual(['https://www.postgresql.org/docs/current/'])
  })
})
