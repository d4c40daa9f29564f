/**
 * TLS to PostgreSQL with libpq's meaning of `sslmode` (disable, allow, prefer, require, verify-ca, verify-full)
 * and of `sslrootcert`, `sslcert` and `sslkey`, read from a connection URL's query, from Assay's DB_SSL*
 * settings (environment or .env) and from libpq's PGSSL* environment variables, in that order.
 * The `pg` driver only knows "TLS or not": prefer's fallback to plain text is done by the caller (PgDb.open).
 */
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { ConnectionOptions } from 'node:tls'
import { z } from 'zod'
import { UsageError } from './errors.js'

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const
export const SslMode = z.enum(SSL_MODES)
export type SslMode = z.infer<typeof SslMode>

export interface TlsSettings {
  mode: SslMode
  /** CA certificate(s) the server's certificate must chain to (PEM file). */
  rootCert?: string
  /** Client certificate and key (PEM files), for servers that authenticate by certificate. */
  cert?: string
  key?: string
  /** Where `mode` came from, for messages ("DATABASE_URL", "DB_SSLMODE", "default"). */
  source: string
}

type Env = Record<string, string | undefined>

/** libpq's default: TLS when the server offers it, plain text otherwise. */
export const DEFAULT_TLS: TlsSettings = { mode: 'prefer', source: 'default' }

function mode(value: string, source: string): SslMode {
  const parsed = SslMode.safeParse(value.trim().toLowerCase())
  if (!parsed.success) {
    throw new UsageError(`${source} must be one of ${SSL_MODES.join(', ')} (got "${value}")`)
  }
  return parsed.data
}

/**
 * TLS settings from a URL's query (`?sslmode=verify-full&sslrootcert=/path/ca.pem`), falling back to the
 * environment. `source` names the URL for messages.
 */
export function tlsSettings(query: URLSearchParams | undefined, env: Env, source: string): TlsSettings {
  const pick = (param: string, dbVar: string, pgVar: string): [string, string] | undefined => {
    const fromUrl = query?.get(param)
    if (fromUrl) return [fromUrl, `${source} (${param})`]
    if (env[dbVar]) return [env[dbVar]!, dbVar]
    if (env[pgVar]) return [env[pgVar]!, pgVar]
    return undefined
  }
  const m = pick('sslmode', 'DB_SSLMODE', 'PGSSLMODE')
  const out: TlsSettings = m ? { mode: mode(m[0], m[1]), source: m[1] } : { ...DEFAULT_TLS }
  const root = pick('sslrootcert', 'DB_SSLROOTCERT', 'PGSSLROOTCERT')
  const cert = pick('sslcert', 'DB_SSLCERT', 'PGSSLCERT')
  const key = pick('sslkey', 'DB_SSLKEY', 'PGSSLKEY')
  if (root) out.rootCert = root[0]
  if (cert) out.cert = cert[0]
  if (key) out.key = key[0]
  // libpq: `require` with a root certificate given verifies the chain, as verify-ca does.
  if (out.mode === 'require' && root) out.mode = 'verify-ca'
  return out
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(error)
    throw new UsageError(`cannot read ${what} ${path}: ${why}`)
  }
}

/** The `ssl` option for `pg`: false for plain text, else the TLS options the mode asks for. */
export function pgSsl(tls: TlsSettings, host: string): false | ConnectionOptions {
  if (tls.mode === 'disable' || tls.mode === 'allow') return false
  const options: ConnectionOptions = { servername: host }
  if (tls.cert) options.cert = readPem(tls.cert, 'the client certificate (sslcert)')
  if (tls.key) options.key = readPem(tls.key, 'the client key (sslkey)')
  if (tls.mode === 'prefer' || tls.mode === 'require') {
    // Encrypted, not authenticated: libpq checks no certificate in these modes.
    return { ...options, rejectUnauthorized: false }
  }
  const defaultRoot = join(homedir(), '.postgresql', 'root.crt')
  const rootCert = tls.rootCert ?? (existsSync(defaultRoot) ? defaultRoot : undefined)
  if (rootCert && rootCert !== 'system') options.ca = readPem(rootCert, 'the root certificate (sslrootcert)')
  options.rejectUnauthorized = true
  // verify-ca checks the chain only; verify-full also checks that the certificate names the host.
  if (tls.mode === 'verify-ca') options.checkServerIdentity = () => undefined
  return options
}

/** Whether a connection error is the server saying it does not speak TLS. */
export function isNoTlsServer(error: unknown): boolean {
  return /does not support SSL/i.test(error instanceof Error ? error.message : String(error))
}

/** A TLS failure in words that say what to change, or undefined when the error is not about TLS. */
export function explainTlsError(
  error: unknown,
  tls: TlsSettings,
  where: string,
  host: string,
): string | undefined {
  const code = (error as { code?: string } | null)?.code ?? ''
  const setting = `sslmode=${tls.mode} (from ${tls.source})`
  if (isNoTlsServer(error)) {
    return `PostgreSQL at ${where} does not accept TLS connections, but ${setting} requires TLS — turn on ssl in the server, or use sslmode=prefer or disable`
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `the server certificate at ${where} is not issued for host "${host}" (${setting} checks the host name) — connect with the name on the certificate, or use sslmode=verify-ca`
  }
  if (
    /^(SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_SIGNATURE_FAILURE)$/.test(
      code,
    )
  ) {
    const ca = tls.rootCert ? `the CA in ${tls.rootCert}` : 'a trusted CA (no sslrootcert given)'
    return `the server certificate at ${where} is not signed by ${ca} (${setting}) — set sslrootcert to the server's CA certificate`
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return `the server certificate at ${where} is ${code === 'CERT_HAS_EXPIRED' ? 'expired' : 'not yet valid'} (${setting})`
  }
  return undefined
}
