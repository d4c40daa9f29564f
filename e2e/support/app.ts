import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '@playwright/test'
import { spawnAssay } from './cli'
import { createDatabase, dropDatabase, query } from './databases'
import { serverUrl } from './paths'

export interface App {
  /** The URL `assay serve` printed, token included. */
  url: string
  port: number
  /** The scratch database (null when the app points somewhere else, e.g. an unreachable server). */
  database: string | null
  /** This app's own settings folder (XDG_CONFIG_HOME): settings.json lives in <configDir>/assay/. */
  configDir: string
  sql<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>
  stop(): Promise<void>
}

export interface AppOptions {
  /** template: a copy of the suite's template (silver ready, gold empty); empty: a new empty database. */
  database?: 'template' | 'empty'
  /** Point the console elsewhere instead (e.g. through a proxy, or at a server that is down). */
  databaseUrl?: (database: string | null) => string
  /** Extra environment for the serve process, e.g. ASSAY_FAULTS to slow months down. */
  env?: NodeJS.ProcessEnv
  /** Allow the `faults:set` request (ASSAY_ALLOW_FAULTS=1), for specs that inject failures mid-test. */
  allowFaults?: boolean
  /** Runs on the scratch database before `assay serve` starts (e.g. a bulk insert the live feed need not see). */
  seed?: (database: string) => Promise<void>
}

function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    const timer = setTimeout(
      () => reject(new Error(`assay serve printed no URL within 30 s\n${err}`)),
      30_000,
    )
    child.stdout?.on('data', (chunk) => {
      out += chunk
      const match = /Assay console: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    })
    child.stderr?.on('data', (chunk) => {
      err += chunk
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`assay serve exited ${code} before printing its URL\n${err}`))
    })
  })
}

/** Starts `assay serve --port 0` on a fresh database and returns its URL; `stop` ends it and drops the database. */
export async function startApp(options: AppOptions = {}): Promise<App> {
  const database =
    options.database === undefined && options.databaseUrl
      ? null
      : await createDatabase(options.database === 'empty' ? undefined : process.env.ASSAY_E2E_TEMPLATE)
  const url = options.databaseUrl ? options.databaseUrl(database) : serverUrl(database!)
  if (database && options.seed) await options.seed(database)
  // Every app has its own settings folder: never the user's, never another spec's.
  const configDir = mkdtempSync(join(tmpdir(), 'assay-e2e-config-'))
  const child = spawnAssay(['serve', '--port', '0', '--database-url', url], {
    XDG_CONFIG_HOME: configDir,
    // Its own log folder too: a spool another spec's run left must never be back-filled into this database.
    ASSAY_LOG_DIR: join(configDir, 'logs'),
    ...(options.allowFaults ? { ASSAY_ALLOW_FAULTS: '1' } : {}),
    ...options.env,
  })
  const consoleUrl = await waitForUrl(child)
  return {
    url: consoleUrl,
    port: Number(new URL(consoleUrl).port),
    database,
    configDir,
    sql: (text, values) => {
      if (!database) throw new Error('this app has no scratch database')
      return query(database, text, values)
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
        if (child.exitCode === null) child.kill('SIGKILL')
      }
      if (database) await dropDatabase(database)
      rmSync(configDir, { recursive: true, force: true })
    },
  }
}

/**
 * One `assay serve` for a spec file: started before its first test, stopped (and its database dropped) after the
 * last; the file's tests run in order against it. Returns a getter (the app exists once the hooks ran).
 */
export function appForFile(
  options: AppOptions | (() => AppOptions) = {},
  prepare?: (app: App) => Promise<void>,
): () => App {
  let app: App | undefined
  test.describe.configure({ mode: 'serial' })
  test.beforeAll(async () => {
    app = await startApp(typeof options === 'function' ? options() : options)
    await prepare?.(app)
  })
  test.afterAll(async () => {
    await app?.stop()
  })
  return () => {
    if (!app) throw new Error('the app starts in beforeAll')
    return app
  }
}
