import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { serverUrl } from './paths'

/** Runs one statement on the maintenance database. */
export async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl() })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

/** Every database this run of the suite makes starts with this prefix (so teardown finds leftovers). */
export function runPrefix(): string {
  process.env.ASSAY_E2E_PREFIX ??= `assay_e2e_${randomBytes(3).toString('hex')}`
  return process.env.ASSAY_E2E_PREFIX
}

function checkName(name: string): string {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`refusing database name ${name}`)
  return name
}

/** A new database: empty, or a copy of a template (a cheap file copy on the server). */
export async function createDatabase(template?: string): Promise<string> {
  const name = `${runPrefix()}_${randomBytes(4).toString('hex')}`
  const sql = `CREATE DATABASE ${checkName(name)}${template ? ` TEMPLATE ${checkName(template)}` : ''}`
  for (let attempt = 1; ; attempt++) {
    try {
      await admin(sql)
      return name
    } catch (error) {
      // 55006: the template is briefly in use (another spec copying it at the same moment).
      if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error
      await new Promise((r) => setTimeout(r, 250))
    }
  }
}

export async function dropDatabase(name: string): Promise<void> {
  await admin(`DROP DATABASE IF EXISTS ${checkName(name)} WITH (FORCE)`)
}

/** Drops every database this run made (teardown, and after an aborted run). */
export async function dropRunDatabases(prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl() })
  await client.connect()
  try {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${checkName(prefix)}\\_%`],
    )
    for (const { datname } of rows)
      await client.query(`DROP DATABASE IF EXISTS ${checkName(datname)} WITH (FORCE)`)
  } finally {
    await client.end()
  }
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
