import type { BrowserWindow, IpcMainInvokeEvent, Session, WebContents } from 'electron'

/**
 * What the window may show: the packaged index.html (exactly that file, any #route), or in development the
 * dev server's exact origin. Any other file:// page — a downloaded HTML file, say — gets neither navigation
 * nor the IPC bridge.
 */
export interface AppPage {
  /** file:// URL of the packaged renderer's index.html. */
  indexUrl: string
  /** Origin of the electron-vite dev server (development only), e.g. http://localhost:5173. */
  devOrigin?: string
}

/** The dev server's origin, if `url` is a loopback http(s) URL; anything else is ignored. */
export function devOriginOf(url: string | undefined): string | undefined {
  if (!url) return undefined
  try {
    const parsed = new URL(url)
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname)
    return loopback && (parsed.protocol === 'http:' || parsed.protocol === 'https:')
      ? parsed.origin
      : undefined
  } catch {
    return undefined
  }
}

/** Whether `url` is the app's own page (exact file or exact dev origin, not a prefix). */
export function isAppUrl(url: string, page: AppPage): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (page.devOrigin) return parsed.origin === page.devOrigin
  if (parsed.protocol !== 'file:') return false
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}` === page.indexUrl
}

/** IPC is answered only for the app's own windows showing the app's own page (Fiddle's sender check). */
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  windows: readonly BrowserWindow[],
  page: AppPage,
): boolean {
  const url = event.senderFrame?.url ?? ''
  return windows.some((w) => !w.isDestroyed() && w.webContents.id === event.sender.id) && isAppUrl(url, page)
}

/** Pages the app may open in the user's browser; nothing else leaves the app. */
export const EXTERNAL_ALLOWLIST = ['https://www.postgresql.org/docs/', 'https://github.com/']

export function isAllowedExternal(url: string): boolean {
  try {
    const parsed = new URL(url)
    if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return false
    return EXTERNAL_ALLOWLIST.some((prefix) => {
      const allowed = new URL(prefix)
      return parsed.origin === allowed.origin && parsed.pathname.startsWith(allowed.pathname)
    })
  } catch {
    return false
  }
}

/** No navigation away from the app, no new windows; allow-listed links open in the user's browser instead. */
export function lockDown(contents: WebContents, page: AppPage, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, page)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, page)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) openExternal(url)
    return { action: 'deny' }
  })
}

/**
 * The one permission the app uses: notifications, which the user turns on in Settings (opt-in, off by default).
 * Every other check and request (camera, geolocation, clipboard read, …) is denied.
 */
export const ALLOWED_PERMISSION = 'notifications'

export function denyPermissions(
  session: Pick<Session, 'setPermissionCheckHandler' | 'setPermissionRequestHandler'>,
): void {
  session.setPermissionCheckHandler((_contents, permission) => permission === ALLOWED_PERMISSION)
  session.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(permission === ALLOWED_PERMISSION),
  )
}

/**
 * The CSP for every response the app's session loads (on top of the meta tag in index.html). The desktop
 * renderer talks to main over IPC only: no WebSocket, no network origin at all.
 */
export const APP_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
