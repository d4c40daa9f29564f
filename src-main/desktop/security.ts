import type { BrowserWindow, IpcMainInvokeEvent, WebContents } from 'electron'

/** The renderer's origin: the electron-vite dev server in development, the packaged files otherwise. */
export function isAppUrl(url: string, devServer: string | undefined): boolean {
  if (devServer) return url.startsWith(devServer)
  return url.startsWith('file://')
}

/** IPC is answered only for the app's own windows showing the app's own page (Fiddle's sender check). */
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  windows: readonly BrowserWindow[],
  devServer: string | undefined,
): boolean {
  const url = event.senderFrame?.url ?? ''
  return (
    windows.some((w) => !w.isDestroyed() && w.webContents.id === event.sender.id) && isAppUrl(url, devServer)
  )
}

/** No navigation away from the app, no new windows; links to the web open in the user's browser instead. */
export function lockDown(
  contents: WebContents,
  devServer: string | undefined,
  openExternal: (url: string) => void,
): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, devServer)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) openExternal(url)
    return { action: 'deny' }
  })
}

/** The CSP for every response the app's session loads (on top of the meta tag in index.html). */
export const APP_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
