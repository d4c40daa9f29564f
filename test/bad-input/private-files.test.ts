/**
 * Private files: another local user can neither read nor write what Assay stores. The embedded database, its
 * parents that Assay creates, and the log folder are 0700; every file in them is 0600 — on creation, and again
 * when an existing database with looser modes is opened. A folder Assay does not own is never re-moded.
 * Runs the real CLI in a temporary folder (the only place this test changes modes).
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, writeSettings } from '../../src-main/host/settings/settings-file.js'
import { runAssay } from '../../torture/runner.js'

const root = mkdtempSync(join(tmpdir(), 'assay-private-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const mode = (path: string) => statSync(path).mode & 0o777

/** Every path under `dir` whose mode is not 0700 (folders) or 0600 (files), as "mode path". */
function loose(dir: string): string[] {
  const out: string[] = []
  const visit = (path: string) => {
    const info = statSync(path)
    const want = info.isDirectory() ? 0o700 : 0o600
    if ((info.mode & 0o777) !== want) out.push(`${(info.mode & 0o777).toString(8)} ${path}`)
    if (info.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name))
  }
  visit(dir)
  return out
}

function countFiles(dir: string): number {
  let n = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) if (entry.isFile()) n++
  return n
}

describe('private files', () => {
  const parent = join(root, 'new-parent')
  const dataDir = join(parent, 'db')
  const logDir = join(root, 'logs')
  const env = { ASSAY_LOG_DIR: logDir, ASSAY_DATA_DIR: undefined }

  it('a new embedded database, its new parent and the log folder are the owner’s only', async () => {
    const init = await runAssay(['init', '--data-dir', dataDir], { env, timeoutMs: 120_000 })
    expect(init.code, init.stderr).toBe(0)
    const run = await runAssay(['monthly', '--data-dir', dataDir], { env, timeoutMs: 120_000 })
    expect(run.code, run.stderr).toBe(0)
    expect(countFiles(dataDir)).toBeGreaterThan(500)
    expect(loose(dataDir)).toEqual([])
    expect(mode(parent)).toBe(0o700)
    expect(loose(logDir)).toEqual([])
    expect(readdirSync(logDir)).toContain('assay.log')
  })

  it('opening an existing database mends looser modes (a database made by an older version)', async () => {
    // Our own temporary database only: make it world-writable as PGlite used to leave it.
    const visit = (path: string) => {
      const dir = statSync(path).isDirectory()
      chmodSync(path, dir ? 0o777 : 0o666)
      if (dir) for (const name of readdirSync(path)) visit(join(path, name))
    }
    visit(dataDir)
    expect(loose(dataDir).length).toBeGreaterThan(500)
    const status = await runAssay(['status', '--data-dir', dataDir], { env, timeoutMs: 120_000 })
    expect(status.code, status.stderr).toBe(0)
    expect(loose(dataDir)).toEqual([])
  })

  it('a folder that holds other files is refused as a data directory, and its modes are left alone', async () => {
    const shared = join(root, 'shared')
    mkdirSync(shared, { mode: 0o755 })
    chmodSync(shared, 0o755)
    writeFileSync(join(shared, 'notes.txt'), 'not a database')
    chmodSync(join(shared, 'notes.txt'), 0o644)
    const result = await runAssay(['init', '--data-dir', shared], { env, timeoutMs: 60_000 })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(
      `error: ${shared} holds other files and is not an embedded database; choose a new or empty folder for --data-dir`,
    )
    expect(mode(shared)).toBe(0o755)
    expect(mode(join(shared, 'notes.txt'))).toBe(0o644)
    expect(readdirSync(shared)).toEqual(['notes.txt'])
  })

  it('settings are written 0600 in a 0700 folder', () => {
    const file = join(root, 'settings', 'nested', 'settings.json')
    writeSettings(file, DEFAULT_SETTINGS)
    expect(mode(file)).toBe(0o600)
    expect(mode(join(root, 'settings', 'nested'))).toBe(0o700)
  })
})
