/**
 * TEST SUPPORT ONLY — scratch databases on the test server, made one way for unit tests, the torture suite, the
 * benchmark and e2e: created empty or copied from a template, tracked, and dropped. Names are checked against a
 * strict pattern before they reach SQL (identifiers cannot be parameters).
 */
import pg from 'pg'
import type { PostgresConfig } from '../engine/config.js'
import { sleep } from './wait.js'

/** The server tests use: ASSAY_TEST_PG (a postgres:// URL of a maintenance database), else local trust auth. */
export function testServer(): PostgresConfig {
  const url = new URL(process.env.ASSAY_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres')
  return {
    kind: 'postgres',
    host: url.hostname,
    port: Number(url.port || 5432),
    database: url.pathname.slice(1) || 'postgres',
    user: decodeURIComponent(url.username) || 'postgres',
    password: url.password ? decodeURIComponent(url.password) : undefined,
    source: 'test',
  }
}

/**
 * A `postgres://` URL of `database` on the test server, or through a proxy on this machine listening on `port`;
 * `user` and `password` default to the server's.
 */
export function databaseUrl(database: string, port?: number, user?: string, password?: string): string {
  const server = testServer()
  const name = user ?? server.user
  const secret = password ?? server.password
  const auth = secret ? `${encodeURIComponent(name)}:${encodeURIComponent(secret)}` : encodeURIComponent(name)
  // A proxy listens on loopback.
  const host = port === undefined ? server.host : '127.0.0.1'
  return `postgres://${auth}@${host}:${port ?? server.port}/${database}`
}

/** Connection settings of `database` on the test server. */
export function configOf(database: string, source = 'test'): PostgresConfig {
  return { ...testServer(), database, source }
}

export function checkName(name: string): string {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`refusing database name ${name}`)
  return name
}

/** Runs `fn` with a client on the maintenance database. */
export async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...testServer(), application_name: 'assay-test-admin' })
  client.on('error', () => undefined)
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end().catch(() => undefined)
  }
}

const created = new Set<string>()

export interface CreateOptions {
  /** Copy this database (it must have no connections). */
  template?: string
  /** Copy the files instead of writing the template to WAL (PostgreSQL 15+): for large templates. */
  fileCopy?: boolean
  /** Not dropped by {@link dropCreated} (e.g. a template kept for later runs). */
  keep?: boolean
}

/**
 * Creates `name`, empty or as a copy of a template. Two copies of one template at the same moment collide
 * (55006, "source database is being accessed by other users"), so that is retried for a few seconds.
 */
export async function createDatabase(name: string, options: CreateOptions = {}): Promise<string> {
  checkName(name)
  const template = options.template ? ` TEMPLATE ${checkName(options.template)}` : ''
  const strategy = options.template && options.fileCopy ? ' STRATEGY = FILE_COPY' : ''
  for (let attempt = 1; ; attempt++) {
    try {
      await admin((client) => client.query(`CREATE DATABASE ${name}${template}${strategy}`))
      break
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt >= 40) throw error
      await sleep(100 + Math.random() * 150)
    }
  }
  if (!options.keep) created.add(name)
  return name
}

/** Drops a database, ending any session still connected to it. */
export async function dropDatabase(name: string): Promise<void> {
  await admin((client) => client.query(`DROP DATABASE IF EXISTS ${checkName(name)} WITH (FORCE)`))
  created.delete(name)
}

/** Renames a database (no one may be connected); `keep` takes it off the list {@link dropCreated} drops. */
export async function renameDatabase(
  from: string,
  to: string,
  options: { keep?: boolean } = {},
): Promise<void> {
  await admin((client) => client.query(`ALTER DATABASE ${checkName(from)} RENAME TO ${checkName(to)}`))
  created.delete(from)
  if (!options.keep) created.add(to)
}

/** Whether a database of that name exists. */
export async function databaseExists(name: string): Promise<boolean> {
  const { rows } = await admin((client) =>
    client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]),
  )
  return rows.length > 0
}

/** Drops every database this process created (at exit, also after a failure). */
export async function dropCreated(): Promise<void> {
  for (const name of [...created]) await dropDatabase(name).catch(() => undefined)
}

/** Drops every database whose name starts with `prefix_` (an e2e run's, whatever process made them). */
export async function dropPrefixed(prefix: string): Promise<string[]> {
  const { rows } = await admin((client) =>
    client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${checkName(prefix)}\\_%`,
    ]),
  )
  for (const { datname } of rows) await dropDatabase(datname)
  return rows.map((r) => r.datname)
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Drops databases named `<prefix>_<pid>_…` whose process is gone (killed before it could clean up). Only on a
 * server on this machine, where a process id means something.
 */
export async function dropOrphans(prefix: string): Promise<string[]> {
  if (!['127.0.0.1', 'localhost', '::1'].includes(testServer().host)) return []
  const { rows } = await admin((client) =>
    client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${checkName(prefix)}\\_%`,
    ]),
  )
  const pattern = new RegExp(`^${prefix}_(\\d+)_`)
  const orphans = rows
    .map((row) => row.datname)
    .filter((name) => {
      const pid = Number(pattern.exec(name)?.[1])
      return Number.isInteger(pid) && pid !== process.pid && !alive(pid)
    })
  for (const name of orphans) await dropDatabase(name)
  return orphans
}

let counter = 0
/** A fresh name `<prefix>_<pid>_<label>_<n>`: the pid lets {@link dropOrphans} tell a dead run's leftovers. */
export function pidName(prefix: string, label: string): string {
  return `${prefix}_${process.pid}_${label}_${++counter}`.toLowerCase().replace(/[^a-z0-9_]/g, '_')
}
