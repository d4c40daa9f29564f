import type { BrowserWindow, WebContents } from 'electron'
import { describe, expect, it } from 'vitest'
import { isAppUrl, isTrustedSender, lockDown } from './security.js'

function window(id: number, destroyed = false): BrowserWindow {
  return { isDestroyed: () => destroyed, webContents: { id } } as unknown as BrowserWindow
}

describe('desktop security', () => {
  it('answers IPC only from its own windows showing its own page', () => {
    const windows = [window(1)]
    const from = (id: number, url: string) => ({ sender: { id }, senderFrame: { url } }) as never
    expect(isTrustedSender(from(1, 'file:///app/out/renderer/index.html'), windows, undefined)).toBe(true)
    expect(isTrustedSender(from(2, 'file:///app/out/renderer/index.html'), windows, undefined)).toBe(false)
    expect(isTrustedSender(from(1, 'https://evil.example/'), windows, undefined)).toBe(false)
    expect(isTrustedSender(from(1, 'http://localhost:5173/'), windows, 'http://localhost:5173')).toBe(true)
    expect(isTrustedSender(from(1, 'file:///x'), [window(1, true)], undefined)).toBe(false)
  })

  it('recognises the app’s own URLs only', () => {
    expect(isAppUrl('file:///app/index.html', undefined)).toBe(true)
    expect(isAppUrl('https://example.com', undefined)).toBe(false)
    expect(isAppUrl('file:///app/index.html', 'http://localhost:5173')).toBe(false)
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
    lockDown(contents, undefined, (url) => opened.push(url))

    let prevented = 0
    const event = { preventDefault: () => prevented++ }
    handlers['will-navigate']?.(event, 'https://evil.example/')
    handlers['will-navigate']?.(event, 'file:///app/out/renderer/index.html')
    handlers['will-attach-webview']?.(event, '')
    expect(prevented).toBe(2)
    expect(openHandler?.({ url: 'https://docs.example/' })).toEqual({ action: 'deny' })
    expect(openHandler?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' })
    expect(opened).toEqual(['https://docs.example/'])
  })
})
