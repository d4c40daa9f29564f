import type { AssayBridge } from '../../src-shared/bridge'
import { type ApiClient, createClient } from './client'
import { ipcTransport } from './ipc-transport'
import { wsTransport } from './ws-transport'

declare global {
  interface Window {
    assay?: AssayBridge
  }
}

const TOKEN_KEY = 'assay-token'

/**
 * The browser twin's token: taken from the URL `assay serve` printed, kept for this tab (so a reload works),
 * and removed from the address bar so it does not linger in history or screenshots.
 */
export function takeToken(): string | null {
  const url = new URL(window.location.href)
  const fromUrl = url.searchParams.get('token')
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl)
    url.searchParams.delete('token')
    window.history.replaceState(null, '', url.pathname + url.search + url.hash)
    return fromUrl
  }
  return sessionStorage.getItem(TOKEN_KEY)
}

/** IPC inside the desktop app (the preload put `window.assay` there), else the WebSocket to `assay serve`. */
export function connectApi(): ApiClient | null {
  if (window.assay) return createClient(ipcTransport(window.assay))
  const token = takeToken()
  return token ? createClient(wsTransport(token, window.location)) : null
}
