/**
 * TEST SUPPORT ONLY — real child processes of the CLI, and a TCP proxy in front of PostgreSQL that a test can
 * take down and bring back (a database that is away longer than the retry budget).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PostgresConfig } from '../config.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

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

/** Starts `node bin/assay.mjs <args>` with a clean database environment plus `env`. */
export function spawnAssay(args: string[], env: Record<string, string> = {}): CliProcess {
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
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'assay.mjs'), ...args], {
    cwd: ROOT,
    env: { ...base, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk) => {
    stdout += chunk
  })
  child.stderr?.on('data', (chunk) => {
    stderr += chunk
  })
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
  return { child, done }
}

/** Polls `check` until it returns something truthy, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** A TCP proxy on 127.0.0.1: `down()` cuts every connection and refuses new ones; `up()` listens again. */
export class TcpProxy {
  private server: Server | undefined
  private readonly sockets = new Set<Socket>()
  port = 0

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    await this.listen(0)
  }

  private listen(port: number): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost)
      for (const s of [client, upstream]) {
        this.sockets.add(s)
        s.on('error', () => s.destroy())
        s.on('close', () => this.sockets.delete(s))
      }
      client.on('close', () => upstream.destroy())
      upstream.on('close', () => client.destroy())
      client.pipe(upstream)
      upstream.pipe(client)
    })
    this.server = server
    return new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        const address = server.address()
        if (address && typeof address === 'object') this.port = address.port
        resolve()
      })
    })
  }

  /** The database "goes away": open connections are cut, new ones refused (ECONNREFUSED). */
  down(): void {
    this.server?.close()
    this.server = undefined
    for (const s of this.sockets) s.destroy()
    this.sockets.clear()
  }

  async up(): Promise<void> {
    if (!this.server) await this.listen(this.port)
  }

  async stop(): Promise<void> {
    this.down()
  }
}
