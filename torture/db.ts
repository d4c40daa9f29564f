import pg from 'pg'
import { testServer } from '../src-main/test-support/scratch.js'

/**
 * Scratch databases on the shared test server: created from a template (fast), tracked, and always dropped.
 * Names carry our pid, so leftovers of a crashed torture run can be told from a live run's.
 */
export const server = testServer()
const PREFIX = `torture_${process.pid}_`
const created = new Set<string>()
let counter = 0

/** Numeric columns as text, so comparisons are exact; dates stay strings. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (format !== 'binary' && [20, 21, 23, 700, 701, 1700, 1082, 1114, 1184].includes(oid)) {
      return (value: string) => value
    }
    return pg.types.getTypeParser(oid, format)
  },
} as unknown as pg.CustomTypesConfig

function config(database: string, port = server.port): pg.ClientConfig {
  return {
    host: server.host,
    port,
    user: server.user,
    password: server.password,
    database,
    types,
    application_name: 'torture-harness',
  }
}

/** A `postgres://` URL for a child process; `port` points it at a proxy instead of the server. */
export function databaseUrl(
  database: string,
  port = server.port,
  user = server.user,
  password = server.password,
): string {
  const auth = password
    ? `${encodeURIComponent(user)}:${encodeURIComponent(password)}`
    : encodeURIComponent(user)
  return `postgres://${auth}@127.0.0.1:${port}/${database}`
}

export async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(config(server.database))
  client.on('error', () => undefined)
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end().catch(() => undefined)
  }
}

export function newName(label: string): string {
  return `${PREFIX}${label}_${++counter}`.toLowerCase().replace(/[^a-z0-9_]/g, '_')
}

function checkName(name: string): string {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`refusing database name ${name}`)
  return name
}

export async function createDatabase(name: string, template?: string): Promise<string> {
  checkName(name)
  created.add(name)
  await admin((client) =>
    client.query(
      template ? `CREATE DATABASE ${name} TEMPLATE ${checkName(template)}` : `CREATE DATABASE ${name}`,
    ),
  )
  return name
}

export async function dropDatabase(name: string): Promise<void> {
  checkName(name)
  await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
  created.delete(name)
}

/** Drops every database this process created (at exit, also after a failure). */
export async function dropAllCreated(): Promise<void> {
  for (const name of [...created]) await dropDatabase(name).catch(() => undefined)
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Drops databases left by torture runs whose process is gone. Returns their names. */
export async function dropOrphans(): Promise<string[]> {
  return admin(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'torture\\_%'`,
    )
    const orphans = rows
      .map((row) => row.datname)
      .filter((name) => {
        const pid = Number(/^torture_(\d+)_/.exec(name)?.[1])
        return Number.isInteger(pid) && pid !== process.pid && !alive(pid)
      })
    for (const name of orphans) await client.query(`DROP DATABASE IF EXISTS ${checkName(name)} WITH (FORCE)`)
    return orphans
  })
}

/** A small pool on one scratch database, straight to the server (never through a proxy). */
export function pool(database: string, max = 3): pg.Pool {
  const p = new pg.Pool({ ...config(database), max })
  p.on('error', () => undefined)
  return p
}

export type Sql = <R extends pg.QueryResultRow = Record<string, string>>(
  text: string,
  values?: unknown[],
) => Promise<R[]>

/** `sql` bound to a pool: rows only. */
export function sqlOf(p: pg.Pool): Sql {
  return async (text, values) => (await p.query(text, values)).rows
}
