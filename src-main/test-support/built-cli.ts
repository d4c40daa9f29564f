/**
 * TEST SUPPORT ONLY — which `assay` the tests run: the built CLI (out/main/cli.js), as users get it, never the
 * TypeScript source through a loader. ASSAY_CLI names another one (e.g. a packed and installed copy).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const BUILT = join(ROOT, 'out', 'main', 'cli.js')
/** What the built CLI is made from: a newer file here means out/ is stale. sql/ is read at run time. */
const SOURCES = ['src-main', 'src-shared', 'src-renderer', 'electron.vite.config.ts', 'package.json']

/** The `assay` script to run with node: ASSAY_CLI, or this checkout's out/main/cli.js. */
export function assayCli(): string {
  return process.env.ASSAY_CLI ?? BUILT
}

function newestChange(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)))
  return newest
}

/** True when out/main/cli.js is missing or older than a source file it is built from. */
export function isStale(): boolean {
  if (!existsSync(BUILT)) return true
  const built = statSync(BUILT).mtimeMs
  return SOURCES.some((source) => newestChange(join(ROOT, source)) > built)
}

/**
 * Builds the CLI, console and desktop entries (electron-vite, a few seconds) unless they are up to date or
 * ASSAY_CLI names a CLI. Called once per run from the vitest and Playwright global setups.
 */
export function ensureBuilt(): void {
  if (process.env.ASSAY_CLI || !isStale()) return
  const build = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  )
  if (build.status !== 0) throw new Error(`electron-vite build failed (exit ${build.status})`)
}
