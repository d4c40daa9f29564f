import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { assayCli } from '../src-main/test-support/built-cli.js'
import { type PollOptions, poll } from '../src-main/test-support/wait.js'

/** The repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
/** The built CLI (out/main/cli.js, or ASSAY_CLI), as users run it. */
export const ASSAY_BIN = assayCli()

/** One log folder for every child of this process, so children never write to the user's own log. */
export const LOG_DIR = mkdtempSync(join(tmpdir(), 'assay-torture-logs-'))
process.once('exit', () => rmSync(LOG_DIR, { recursive: true, force: true }))

export interface ChildResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  ms: number
  /** Killed by the watchdog after `timeoutMs`: the process hung. */
  hung: boolean
  /** Killed by us with SIGKILL on purpose. */
  killed: boolean
  /** Peak resident set size in kB (VmHWM), when `measureRss` was asked for. */
  peakRssKb?: number
}

export interface Child {
  readonly pid: number
  readonly args: string[]
  readonly done: Promise<ChildResult>
  readonly running: boolean
  /** Output so far. */
  readonly stdout: string
  readonly stderr: string
  /** kill -9, now. */
  kill9(): void
  /** SIGINT (Ctrl-C). */
  interrupt(): void
  /** Resolves when `text` appears in stdout or stderr (or the child exits: then false). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<boolean>
}

export interface SpawnOptions {
  databaseUrl?: string
  /** ASSAY_FAULTS for this child. */
  faults?: string
  env?: Record<string, string | undefined>
  /** kill -9 and report `hung` after this long (default 60 s). */
  timeoutMs?: number
  measureRss?: boolean
  cwd?: string
  /** Fed to stdin, then closed (default: stdin closed at once). */
  stdin?: NodeJS.ReadableStream
}

/** Environment variables that would point a child at another database than the one we give it. */
const SCRUBBED = ['DATABASE_URL', 'DB_HOST', 'DB_PORT', 'DB_NAME', 'DB_USER', 'DB_PASSWORD', 'ASSAY_FAULTS']

export function childEnv(options: SpawnOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const key of SCRUBBED) delete env[key]
  // An empty value overrides any .env in the working directory (real environment variables win over .env).
  env.ASSAY_DB = ''
  env.ASSAY_DEBUG = ''
  env.ASSAY_LOG_DIR = LOG_DIR
  env.NO_COLOR = '1'
  env.FORCE_COLOR = '0'
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl
  env.ASSAY_FAULTS = options.faults ?? ''
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key]
    else env[key] = value
  }
  return env
}

function readPeakRss(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const match = /VmHWM:\s+(\d+) kB/.exec(status)
    return match ? Number(match[1]) : undefined
  } catch {
    return undefined
  }
}

/** Starts the built `assay …args` and collects its output. */
export function spawnAssay(args: string[], options: SpawnOptions = {}): Child {
  const started = Date.now()
  const proc: ChildProcess = spawn(process.execPath, [ASSAY_BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: childEnv(options),
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  let running = true
  let hung = false
  let killed = false
  let peak: number | undefined
  const watchers = new Set<() => void>()
  proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    for (const watch of watchers) watch()
  })
  proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
    for (const watch of watchers) watch()
  })
  proc.stdin?.on('error', () => undefined)
  if (options.stdin) options.stdin.pipe(proc.stdin!)
  else proc.stdin?.end()
  const rssTimer = options.measureRss
    ? setInterval(() => {
        const value = readPeakRss(proc.pid ?? -1)
        if (value !== undefined) peak = Math.max(peak ?? 0, value)
      }, 50)
    : undefined
  const watchdog = setTimeout(() => {
    hung = true
    proc.kill('SIGKILL')
  }, options.timeoutMs ?? 60_000)
  const done = new Promise<ChildResult>((resolve) => {
    proc.on('close', (code, signal) => {
      running = false
      clearTimeout(watchdog)
      if (rssTimer) clearInterval(rssTimer)
      for (const watch of watchers) watch()
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, hung, killed, peakRssKb: peak })
    })
  })
  return {
    pid: proc.pid ?? -1,
    args,
    done,
    get running() {
      return running
    },
    get stdout() {
      return stdout
    },
    get stderr() {
      return stderr
    },
    kill9() {
      if (!running) return
      killed = true
      proc.kill('SIGKILL')
    },
    interrupt() {
      if (running) proc.kill('SIGINT')
    },
    waitForOutput(pattern, timeoutMs = 30_000) {
      return new Promise<boolean>((resolve) => {
        const check = () => {
          if (pattern.test(stdout) || pattern.test(stderr)) finish(true)
          else if (!running) finish(false)
        }
        const timer = setTimeout(() => finish(false), timeoutMs)
        const finish = (value: boolean) => {
          clearTimeout(timer)
          watchers.delete(check)
          resolve(value)
        }
        watchers.add(check)
        check()
      })
    },
  }
}

/** Runs the CLI to completion. */
export function runAssay(args: string[], options: SpawnOptions = {}): Promise<ChildResult> {
  return spawnAssay(args, options).done
}

export { sleep } from '../src-main/test-support/wait.js'

/** Polls `check` until it returns true; false after `timeoutMs` or once `until` says to stop. */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  options: PollOptions = {},
): Promise<boolean> {
  return (await poll(check, options)) === true
}

/** A stack trace in output: something escaped as a crash instead of a message. */
export function hasStackTrace(text: string): boolean {
  return /\n\s+at .+(\(|:\d+)/.test(text)
}
