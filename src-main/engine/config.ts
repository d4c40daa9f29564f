import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseEnv } from 'node:util'
import { UsageError } from './errors.js'
import { type TlsSettings, tlsSettings } from './tls.js'

export interface PostgresConfig {
  kind: 'postgres'
  host: string
  port: number
  database: string
  user: string
  password?: string
  /** TLS (libpq's sslmode and certificates); absent means libpq's default, prefer. */
  tls?: TlsSettings
  /** Where the settings came from, for messages. */
  source: string
}

export interface PgliteConfig {
  kind: 'pglite'
  dataDir: string
  source: string
}

export type DbConfig = PostgresConfig | PgliteConfig

export interface ConnectionFlags {
  databaseUrl?: string
  dataDir?: string
  embedded?: boolean
}

type Env = Record<string, string | undefined>

/** The per-user default for the embedded database, following each platform's convention. */
export function defaultDataDir(env: Env = process.env, platform = process.platform): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Assay', 'db')
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Assay', 'db')
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'assay', 'db')
}

/**
 * Reads `.env` from a directory, or the file ASSAY_ENV_FILE names (what `assay --env-file` sets); real
 * environment variables win over it.
 */
export function loadEnv(cwd = process.cwd(), env: Env = process.env): Env {
  const file = env.ASSAY_ENV_FILE ?? join(cwd, '.env')
  if (!existsSync(file)) {
    if (env.ASSAY_ENV_FILE) throw new UsageError(`ASSAY_ENV_FILE: no such file: ${file}`)
    return { ...env }
  }
  const fromFile = parseEnv(readFileSync(file, 'utf8')) as Env
  return { ...fromFile, ...env }
}

/** Parses a `postgres://` URL into settings; the password is kept out of `source`. */
export function parseDatabaseUrl(url: string, source: string, env: Env = {}): PostgresConfig {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new UsageError(
      `${source} is not a valid URL (expected postgres://user:password@host:port/database)`,
    )
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new UsageError(`${source} must start with postgres:// (got ${parsed.protocol}//)`)
  }
  const decode = (part: string, what: string): string => {
    try {
      return decodeURIComponent(part)
    } catch {
      throw new UsageError(
        `${source} has a malformed %-escape in its ${what}; percent-encode special characters (e.g. % as %25, @ as %40)`,
      )
    }
  }
  const database = decode(parsed.pathname.replace(/^\//, ''), 'database name')
  return {
    kind: 'postgres',
    host: parsed.hostname || 'localhost',
    port: parsed.port ? Number(parsed.port) : 5432,
    database: database || 'retail_db',
    user: decode(parsed.username, 'user name') || 'postgres',
    password: parsed.password ? decode(parsed.password, 'password') : undefined,
    tls: tlsSettings(parsed.searchParams, env, source),
    source,
  }
}

/**
 * Decides which database to use. Precedence: flags, then DATABASE_URL, then DB_HOST/DB_PORT/DB_NAME/DB_USER/DB_PASSWORD
 * (environment, then `.env`), then the embedded database in ASSAY_DATA_DIR or the per-user default.
 */
export function resolveDbConfig(flags: ConnectionFlags = {}, env: Env = loadEnv()): DbConfig {
  if (flags.databaseUrl && (flags.dataDir || flags.embedded)) {
    throw new UsageError('choose either --database-url or --embedded/--data-dir, not both')
  }
  if (flags.dataDir !== undefined && flags.dataDir.trim() === '') {
    throw new UsageError('--data-dir is empty; give a folder, or leave the flag out to use the default')
  }
  if (flags.databaseUrl !== undefined && flags.databaseUrl.trim() === '') {
    throw new UsageError('--database-url is empty; give a postgres:// URL, or leave the flag out')
  }
  if (flags.databaseUrl) return parseDatabaseUrl(flags.databaseUrl, '--database-url', env)
  if (flags.embedded || flags.dataDir) {
    return {
      kind: 'pglite',
      dataDir: resolve(flags.dataDir ?? env.ASSAY_DATA_DIR ?? defaultDataDir(env)),
      source: flags.dataDir ? '--data-dir' : 'default',
    }
  }
  if (env.ASSAY_DB === 'embedded') {
    return { kind: 'pglite', dataDir: resolve(env.ASSAY_DATA_DIR ?? defaultDataDir(env)), source: 'ASSAY_DB' }
  }
  if (env.DATABASE_URL) return parseDatabaseUrl(env.DATABASE_URL, 'DATABASE_URL', env)
  if (env.DB_HOST || env.DB_NAME || env.DB_PORT) {
    const port = Number(env.DB_PORT ?? 5432)
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new UsageError(`DB_PORT must be a port number between 1 and 65535 (got "${env.DB_PORT}")`)
    }
    return {
      kind: 'postgres',
      host: env.DB_HOST ?? 'localhost',
      port,
      database: env.DB_NAME ?? 'retail_db',
      user: env.DB_USER ?? 'postgres',
      password: env.DB_PASSWORD,
      tls: tlsSettings(undefined, env, 'DB_* settings'),
      source: 'DB_* settings',
    }
  }
  if (env.ASSAY_DATA_DIR)
    return { kind: 'pglite', dataDir: resolve(env.ASSAY_DATA_DIR), source: 'ASSAY_DATA_DIR' }
  return { kind: 'pglite', dataDir: defaultDataDir(env), source: 'default' }
}

/** A one-line description without secrets. */
export function describeConfig(config: DbConfig): string {
  if (config.kind === 'pglite') return `embedded database at ${config.dataDir}`
  const tls = config.tls && config.tls.mode !== 'prefer' ? ` (sslmode=${config.tls.mode})` : ''
  return `postgres ${config.user}@${config.host}:${config.port}/${config.database}${tls}`
}
