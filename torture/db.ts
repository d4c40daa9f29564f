import pg from 'pg'
import {
  createDatabase as create,
  dropCreated,
  dropDatabase,
  dropOrphans as dropDead,
  pidName,
  testServer,
  databaseUrl as urlOf,
} from '../src-main/test-support/databases.js'

/**
 * Scratch databases on the shared test server (the test kit's: created from a template, tracked, always dropped),
 * and the torture suite's own small pools. Names carry our pid, so leftovers of a crashed torture run can be told
 * from a live run's.
 */
export const server = testServer()

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
export const databaseUrl = (database: string, port?: number, user?: string, password?: string): string =>
  urlOf(database, port, user, password)

export const newName = (label: string): string => pidName('torture', label)

export const createDatabase = (name: string, template?: string): Promise<string> => create(name, { template })

export { dropDatabase }

/** Drops every database this process created (at exit, also after a failure). */
export const dropAllCreated = dropCreated

/** Drops databases left by torture runs whose process is gone. Returns their names. */
export const dropOrphans = (): Promise<string[]> => dropDead('torture')

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
