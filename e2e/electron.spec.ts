import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
import { ROOT, SCREENSHOTS } from './support/paths'

/** The Electron binary, if this machine has one (npm installs electron without it here: allowScripts). */
function electronBinary(): string | null {
  try {
    const pkg = createRequire(import.meta.url).resolve('electron/package.json')
    if (!existsSync(join(dirname(pkg), 'path.txt'))) return null
    const path = createRequire(import.meta.url)('electron') as unknown as string
    return existsSync(path) ? path : null
  } catch {
    return null
  }
}

const binary = electronBinary()
const reason =
  'the Electron binary is not installed on this machine (npm install skips its download); the browser twin specs cover the UI'
if (!binary) console.log(`electron.spec.ts skipped: ${reason}`)

test.describe('desktop app', () => {
  test.skip(!binary, reason)

  test('launches with the secure defaults and the console over IPC', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'assay-electron-'))
    const app = await electron.launch({
      executablePath: binary!,
      args: [join(ROOT, 'out/main/index.js')],
      env: { ...process.env, ASSAY_DB: 'embedded', ASSAY_DATA_DIR: dataDir },
    })
    try {
      const win = await app.firstWindow()
      await win.locator('section.view[data-state="ready"]').waitFor()
      await expect(win.getByRole('heading', { name: 'Set up this database' })).toBeVisible()
      await expect(win.getByTestId('db-badge')).toContainText('Embedded database')
      // contextIsolation + sandbox + no nodeIntegration: only the contract's calls are reachable.
      expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined')
      expect(
        await win.evaluate(() =>
          Object.keys((globalThis as unknown as { assay: { call: object } }).assay.call).sort(),
        ),
      ).toContain('runs:start')
      // The sandbox: no Node built-ins in the renderer, not even through the preload.
      expect(await win.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined')
      // Navigation away from the app is blocked.
      await win.evaluate(() => {
        ;(globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/'
      })
      await expect(win.getByTestId('db-badge')).toBeVisible()
      expect(win.url()).not.toContain('example.com')
      await win.screenshot({ path: `${SCREENSHOTS}desktop.png` })
    } finally {
      await app.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
