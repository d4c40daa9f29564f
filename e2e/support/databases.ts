import { randomBytes } from 'node:crypto'
import pg from 'pg'
import {
  createDatabase as create,
  dropDatabase as drop,
  dropPrefixed,
} from '../../src-main/test-support/databases'
import { serverUrl } from './paths'

/** Every database this run of the suite makes starts with this prefix (so teardown finds leftovers). */
export function runPrefix(): string {
  process.env.ASSAY_E2E_PREFIX ??= `assay_e2e_${randomBytes(3).toString('hex')}`
  return process.env.ASSAY_E2E_PREFIX
}

/** A new database: empty, or a copy of a template (a cheap file copy on the server). */
export function createDatabase(template?: string): Promise<string> {
  return create(`${runPrefix()}_${randomBytes(4).toString('hex')}`, { template })
}

export const dropDatabase = drop

/** Drops every database this run made (teardown, and after an aborted run). */
export async function dropRunDatabases(prefix: string): Promise<void> {
  await dropPrefixed(prefix)
}

/** Rows of one query against a scratch database, for assertions on what the console wrote (or did not). */
export async function query<T = Record<string, unknown>>(
  database: string,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: serverUrl(database) })
  await client.connect()
  try {
    return (await client.query(sql, values)).rows as T[]
  } finally {
    await client.end()
  }
}
