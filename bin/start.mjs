#!/usr/bin/env node
// `npm start`: builds the console, then opens the desktop app where Electron's binary is installed; where it is
// not (npm here installs electron without downloading it), says so and starts the browser twin, `assay serve`.
// Extra arguments go to `assay serve` (e.g. npm start -- --port 8000 --database-url postgres://…).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron')
    return typeof path === 'string' && existsSync(path) ? path : null
  } catch {
    return null
  }
}

const electronVite = fileURLToPath(
  new URL('../node_modules/electron-vite/bin/electron-vite.js', import.meta.url),
)
const build = spawnSync(process.execPath, [electronVite, 'build'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
})
if (build.status !== 0) {
  console.error('assay: building the console failed (see above)')
  process.exit(build.status ?? 1)
}

const binary = electronBinary()
const child = binary
  ? spawn(binary, ['.'], { cwd: root, stdio: 'inherit' })
  : (() => {
      console.error(
        'assay: the Electron binary is not installed on this machine, so the desktop app cannot open; starting the browser twin instead (assay serve).',
      )
      return spawn(
        process.execPath,
        [fileURLToPath(new URL('../out/main/cli.js', import.meta.url)), 'serve', ...process.argv.slice(2)],
        {
          cwd: root,
          stdio: 'inherit',
        },
      )
    })()

// Ctrl+C reaches the child directly (same process group); pass on a SIGTERM sent to this wrapper alone.
process.on('SIGINT', () => undefined)
process.on('SIGTERM', () => child.kill('SIGTERM'))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 0)))
