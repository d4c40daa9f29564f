import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { VERSION } from '../cli/main.js'
import { rendererDevUrl } from './renderer-url.js'

/**
 * What can be checked of the desktop installers without Electron's binary (which electron-builder downloads,
 * and these machines cannot): the configuration, the fuses, and that every file the app is packed from exists
 * after `electron-vite build` (the vitest global setup builds). Building and launching the installers runs in
 * .github/workflows/installers.yml, on each OS's runner.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const read = (file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8'))
const builder = read('electron-builder.json') as {
  files: string[]
  asar: boolean
  electronFuses: Record<string, boolean>
  linux: { target: string[] }
  win: { target: string[] }
  mac: { target: string[] }
}
const pkg = read('package.json') as {
  version: string
  main: string
  bin: Record<string, string>
  scripts: Record<string, string>
  dependencies: Record<string, string>
}

/** Files a builder pattern matches: `dir/**` (everything below), `dir/*.ext`, or a plain path. */
function matches(pattern: string): string[] {
  if (pattern.endsWith('/**')) {
    const dir = join(ROOT, pattern.slice(0, -3))
    return existsSync(dir) && statSync(dir).isDirectory()
      ? readdirSync(dir, { recursive: true }).map(String)
      : []
  }
  const star = pattern.lastIndexOf('*')
  if (star >= 0) {
    const dir = join(ROOT, dirname(pattern))
    const suffix = pattern.slice(star + 1)
    return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(suffix)) : []
  }
  return existsSync(join(ROOT, pattern)) ? [pattern] : []
}

describe('desktop installers (electron-builder.json)', () => {
  it('targets AppImage and deb on Linux, NSIS on Windows, dmg on macOS, from `npm run dist`', () => {
    expect(builder.linux.target).toEqual(['AppImage', 'deb'])
    expect(builder.win.target).toEqual(['nsis'])
    expect(builder.mac.target).toEqual(['dmg'])
    expect(pkg.scripts.dist).toMatch(
      /electron-vite build && electron-builder --config electron-builder\.json/,
    )
  })

  it('sets the fuses: no RunAsNode, NODE_OPTIONS or --inspect; the app only from an integrity-checked asar', () => {
    expect(builder.asar).toBe(true)
    expect(builder.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    })
  })

  it('packs every built entry point, and each pattern matches something after electron-vite build', () => {
    for (const pattern of builder.files) expect(matches(pattern), pattern).not.toEqual([])
    const packed = (file: string) =>
      builder.files.some((p) => p === file || (p.endsWith('/**') && file.startsWith(p.slice(0, -2))))
    for (const entry of [
      pkg.main,
      'out/main/host-worker.js',
      'out/preload/preload.cjs',
      'out/renderer/index.html',
    ]) {
      expect(existsSync(join(ROOT, entry)), entry).toBe(true)
      expect(packed(entry), entry).toBe(true)
    }
    expect(matches('sql/*.sql').length).toBeGreaterThan(5)
  })

  it('builds entry points that parse, and the main bundle loads its preload and page from where they are packed', () => {
    for (const entry of [pkg.main, 'out/main/host-worker.js', 'out/main/cli.js']) {
      const check = spawnSync(process.execPath, ['--check', join(ROOT, entry)], { encoding: 'utf8' })
      expect(check.status, check.stderr).toBe(0)
    }
    const main = readFileSync(join(ROOT, pkg.main), 'utf8')
    expect(main).toContain('../preload/preload.cjs')
    expect(main).toContain('../renderer/index.html')
  })

  it('ships only what cannot be bundled as a runtime dependency (PGlite reads its WASM files at run time)', () => {
    expect(Object.keys(pkg.dependencies)).toEqual(['@electric-sql/pglite'])
    expect(pkg.bin.assay).toBe('out/main/cli.js')
    expect(pkg.version).toBe(VERSION)
  })

  it('has a CI workflow building the installers on Linux, Windows and macOS runners', () => {
    const workflow = readFileSync(join(ROOT, '.github/workflows/installers.yml'), 'utf8')
    for (const os of ['ubuntu-latest', 'windows-latest', 'macos-latest'])
      expect(workflow).toContain(`os: ${os}`)
    expect(workflow).toContain('electron-builder --config electron-builder.json')
  })
})

describe('the renderer URL', () => {
  it('is the dev server in development only; a packaged app ignores ELECTRON_RENDERER_URL', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://evil.example:5173' }
    expect(rendererDevUrl(env, false)).toBe('http://evil.example:5173')
    expect(rendererDevUrl(env, true)).toBeUndefined()
    expect(rendererDevUrl({}, false)).toBeUndefined()
  })
})
