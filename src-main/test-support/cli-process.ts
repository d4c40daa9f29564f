/** TEST SUPPORT ONLY — the real CLI as a child process, as a user in a terminal or cron would run it. */
import { type ChildProcess, spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PostgresConfig } from '../engine/config.js'
import { assayCli } from './built-cli.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

export function databaseUrl(config: PostgresConfig): string {
  const auth = config.password
    ? `${encodeURIComponent(config.user)}:${encodeURIComponent(config.password)}`
    : encodeURIComponent(config.user)
  return `postgres://${auth}@${config.host}:${config.port}/${config.database}`
}

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface CliProcess {
  child: ChildProcess
  done: Promise<CliResult>
}

/**
 * Starts the built `assay <args>` (see built-cli.ts) with a clean database environment plus `env`. `cwd` defaults to the repo
 * root; pass a scratch folder to keep a developer's `.env` out of the test.
 */
export function spawnAssay(args: string[], env: Record<string, string> = {}, cwd = ROOT): CliProcess {
  const base = { ...process.env }
  for (const key of [
    'DATABASE_URL',
    'DB_HOST',
    'DB_PORT',
    'DB_NAME',
    'ASSAY_DB',
    'ASSAY_DATA_DIR',
    'ASSAY_FAULTS',
  ])
    delete base[key]
  const child = spawn(process.execPath, [assayCli(), ...args], {
    cwd,
    env: { ...base, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return { child, done: collect(child) }
}

/** What a spawned process prints, once it has exited and its output is closed (call it right after spawning). */
export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk) => {
    stdout += chunk
  })
  child.stderr?.on('data', (chunk) => {
    stderr += chunk
  })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}
