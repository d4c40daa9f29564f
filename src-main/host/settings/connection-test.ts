import { accessSync, constants, existsSync, statSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import type { ConnectionInput, ConnectionTest } from '../../../src-shared/settings.js'
import type { DbConfig } from '../../engine/config.js'
import { openDb } from '../../engine/db/open.js'
import type { Db } from '../../engine/db/types.js'
import { messageOf } from '../../engine/errors.js'
import type { TlsSettings } from '../../engine/tls.js'

/** The database settings a connection form describes (the password stays in memory only). */
export function toDbConfig(input: ConnectionInput, password?: string): DbConfig {
  if (input.kind === 'embedded') {
    return { kind: 'pglite', dataDir: resolve(input.dataDir), source: 'console settings' }
  }
  return {
    kind: 'postgres',
    host: input.host,
    port: input.port,
    database: input.database,
    user: input.user,
    password: input.password || password || undefined,
    tls: tlsOf(input),
    source: 'console settings',
  }
}

/** The form's TLS fields as the engine's TLS settings; none given means libpq's default (prefer). */
function tlsOf(input: Extract<ConnectionInput, { kind: 'postgres' }>): TlsSettings | undefined {
  const { sslmode, sslrootcert, sslcert, sslkey } = input
  if (!sslmode && !sslrootcert && !sslcert && !sslkey) return undefined
  const tls: TlsSettings = { mode: sslmode ?? 'prefer', source: 'console settings' }
  if (sslrootcert) tls.rootCert = sslrootcert
  if (sslcert) tls.cert = sslcert
  if (sslkey) tls.key = sslkey
  // As libpq (and tlsSettings): require with a root certificate verifies the chain.
  if (tls.mode === 'require' && tls.rootCert) tls.mode = 'verify-ca'
  return tls
}

/** The engine's messages speak to CLI users; in Settings the fix is the password field. */
function forSettings(message: string): string {
  return message.replace(/ — check DB_PASSWORD$/, ' — check the password')
}

function testEmbedded(dataDir: string, current: DbConfig): ConnectionTest {
  if (!isAbsolute(dataDir)) return { ok: false, message: 'the data directory must be an absolute path' }
  if (current.kind === 'pglite' && resolve(current.dataDir) === resolve(dataDir))
    return { ok: true, message: 'this is the embedded database the console uses now' }
  if (existsSync(dataDir)) {
    if (!statSync(dataDir).isDirectory())
      return { ok: false, message: `${dataDir} is a file, not a directory` }
    return existsSync(resolve(dataDir, 'PG_VERSION'))
      ? { ok: true, message: `an embedded database is there (${dataDir})` }
      : { ok: true, message: `no database there yet — Assay will create one in ${dataDir}` }
  }
  let parent = dirname(dataDir)
  while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent)
  try {
    accessSync(parent, constants.W_OK)
    return { ok: true, message: `Assay will create the directory and a new embedded database in ${dataDir}` }
  } catch {
    return { ok: false, message: `cannot create ${dataDir}: ${parent} is not writable` }
  }
}

/**
 * Tries a connection without touching the console's own: PostgreSQL is opened with one connection, asked its
 * version and closed; an embedded directory is checked without opening it (opening would take its lock).
 */
export async function testConnection(config: DbConfig, current: DbConfig): Promise<ConnectionTest> {
  if (config.kind === 'pglite') return testEmbedded(config.dataDir, current)
  let db: Db | undefined
  try {
    db = await openDb(config, { max: 1, applicationName: 'assay-console-test' })
    const { rows } = await db.query<{ version: string }>(
      "SELECT current_setting('server_version') AS version",
    )
    const version = rows[0]?.version.split(' ')[0] ?? '?'
    return {
      ok: true,
      message: `connected to PostgreSQL ${version} at ${config.host}:${config.port}/${config.database} as ${config.user}`,
    }
  } catch (error) {
    return { ok: false, message: forSettings(messageOf(error)) }
  } finally {
    await db?.close().catch(() => undefined)
  }
}
