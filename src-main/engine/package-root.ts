import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AssayError } from './errors.js'

const PACKAGE_NAME = 'assay'
let cached: string | undefined

function isAssayRoot(dir: string): boolean {
  const manifest = join(dir, 'package.json')
  if (!existsSync(manifest)) return false
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME
  } catch {
    return false
  }
}

/**
 * The folder holding Assay's package.json — the checkout, the installed npm package, or the desktop app's
 * app.asar — found by walking up from this module, wherever the bundler put it (out/main, out/main/chunks,
 * src-main/engine). `sql/` and the built console (out/renderer) are read from there at run time.
 */
export function packageRoot(from: string = import.meta.url): string {
  if (from === import.meta.url && cached) return cached
  let dir = dirname(fileURLToPath(from))
  for (;;) {
    if (isAssayRoot(dir)) {
      if (from === import.meta.url) cached = dir
      return dir
    }
    const parent = dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  throw new AssayError('package_missing', `cannot find Assay's package.json above ${fileURLToPath(from)}`)
}

/** A path inside the package: `packagePath('sql')`, `packagePath('out', 'renderer')`. */
export function packagePath(...parts: string[]): string {
  return join(packageRoot(), ...parts)
}
