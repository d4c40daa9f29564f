/**
 * Electron main: one instance, one window, secure defaults. It starts the host (which owns the database) in a
 * worker thread and binds it to IPC; all pipeline work runs there through the engine, never via the CLI.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, ipcMain, session, shell } from 'electron'
import log from 'electron-log/main'
import { IPC } from '../../src-shared/bridge.js'
import { describeConfig, resolveDbConfig } from '../engine/config.js'
import { messageOf } from '../engine/errors.js'
import { privateUmask } from '../engine/private-files.js'
import type { Host } from '../host/host.js'
import { startHostWorker } from '../host/worker/host-worker-client.js'
import { rendererDevUrl } from './renderer-url.js'
import { APP_CSP, type AppPage, denyPermissions, devOriginOf, isTrustedSender, lockDown } from './security.js'
import { desktopShell } from './shell.js'

// Settings, logs, exports and the embedded database are this user's alone.
privateUmask()

const devServer = devOriginOf(rendererDevUrl(process.env, app.isPackaged))
const INDEX_HTML = join(__dirname, '../renderer/index.html')
/** The one page the window may show and IPC may answer: this index.html exactly, or the dev server's origin. */
const page: AppPage = { indexUrl: pathToFileURL(INDEX_HTML).href, devOrigin: devServer }
let host: Host | undefined
let quitting = false

// The app's own log file (per-user logs folder), rotated at 5 MB.
log.transports.file.maxSize = 5 * 1024 * 1024
log.transports.file.level = 'info'

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Assay',
    backgroundColor: '#f5f6f8',
    webPreferences: {
      preload: join(__dirname, '../preload/preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  })
  win.once('ready-to-show', () => win.show())
  if (devServer) void win.loadURL(devServer)
  else void win.loadFile(INDEX_HTML)
  return win
}

async function start(): Promise<void> {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CSP] } })
  })
  denyPermissions(session.defaultSession)

  const config = resolveDbConfig({})
  log.info(`assay console: launch settings ${describeConfig(config)}`)
  // The window opens at once; requests wait for the host (creating an embedded database takes a few seconds).
  // A connection saved in Settings applies unless the environment names a database; secrets and exports go
  // through safeStorage and the save dialog here, in main.
  const ready = startHostWorker({
    config,
    explicit: config.source !== 'default',
    shell: desktopShell(),
    log: (level, message) => log[level](message),
  })
  ipcMain.handle(IPC.request, async (event, name: unknown, input: unknown) => {
    if (!isTrustedSender(event, BrowserWindow.getAllWindows(), page)) {
      log.warn(`refused IPC ${String(name)} from ${event.senderFrame?.url ?? 'an unknown frame'}`)
      return {
        ok: false,
        error: { code: 'forbidden', message: 'request refused: it did not come from the Assay window' },
      }
    }
    return (await ready).request(name, input)
  })
  createWindow()
  host = await ready
  host.subscribe((message) => {
    for (const win of BrowserWindow.getAllWindows())
      if (!win.isDestroyed()) win.webContents.send(IPC.event, message)
  })
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.enableSandbox()
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0]
    if (win) {
      if (win.isMinimized()) win.restore()
      win.focus()
    }
  })
  app.on('web-contents-created', (_event, contents) =>
    lockDown(contents, page, (url) => void shell.openExternal(url)),
  )
  app.on('window-all-closed', () => app.quit())
  app.on('before-quit', (event) => {
    // Close the host first: it cancels a running job cleanly and closes the database.
    if (quitting || !host) return
    event.preventDefault()
    quitting = true
    void host.close().finally(() => app.quit())
  })
  app
    .whenReady()
    .then(start)
    .catch((error) => {
      log.error(`assay console failed to start: ${messageOf(error)}`)
      app.quit()
    })
}
