import { isSqlState, SQLSTATE } from './sqlstate.js'

/**
 * The one error classification of Assay, used by the Db layer (which connection to discard), both pipelines
 * (retry or fail) and the retry policy and circuit breaker. Three classes:
 * - `connection-lost`: the connection was cut, refused (53300, 57P03) or the server went away; there is no usable
 *   session (it is discarded),
 *   the work is retried on a new connection, and the circuit breaker counts it;
 * - `transient`: the server is fine but this attempt lost a race or a resource (serialization failure,
 *   deadlock, a lock not available); retried, not counted by the breaker;
 * - `permanent`: anything else (syntax, missing table, constraint, overflow, authentication…); not retried.
 * docs/reliability.md has the table.
 */
export type ErrorClass = 'transient' | 'permanent' | 'connection-lost'

export interface Classification {
  class: ErrorClass
  /** Retried: `transient` or `connection-lost`. */
  transient: boolean
  /** SQLSTATE, or a Node network error code (ECONNREFUSED…), or null. */
  code: string | null
  /** A short reason for logs: "connection failure (08006)", "serialization failure (40001)". */
  kind: string
}

/** Transient SQLSTATEs that leave the connection usable. */
const TRANSIENT: Record<string, string> = {
  [SQLSTATE.serializationFailure]: 'serialization failure',
  [SQLSTATE.deadlockDetected]: 'deadlock detected',
  [SQLSTATE.lockNotAvailable]: 'lock not available',
}

/** SQLSTATEs after which the server has ended (or refused) the session. Class 08 is added by prefix. */
const CONNECTION_LOST: Record<string, string> = {
  [SQLSTATE.tooManyConnections]: 'too many connections',
  [SQLSTATE.adminShutdown]: 'admin shutdown',
  [SQLSTATE.crashShutdown]: 'crash shutdown',
  [SQLSTATE.cannotConnectNow]: 'cannot connect now',
}

/** Node's network error codes: the socket is gone or never connected. */
export const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
])

/**
 * node-postgres reports a connection cut mid-query (or a client timeout) without a code; PGlite never loses its
 * connection. These are its messages.
 */
const DRIVER_LOSS =
  /Connection terminated|connection is closed|Client has encountered a connection error|timeout exceeded when trying to connect|Query read timeout/i

/** The error behind wrappers (AssayError and friends keep the driver's error as `cause`). */
function root(error: unknown): unknown {
  let current = error
  for (let i = 0; i < 5; i++) {
    const code = (current as { code?: unknown } | null)?.code
    if (isSqlState(code) || (typeof code === 'string' && NETWORK_CODES.has(code))) return current
    const cause = (current as { cause?: unknown } | null)?.cause
    if (!(current instanceof Error) || cause === undefined) return current
    current = cause
  }
  return current
}

/** The SQLSTATE of a database error (looking through wrappers), if it carries one. Never a Node code. */
export function sqlState(error: unknown): string | undefined {
  const code = (root(error) as { code?: unknown } | null)?.code
  return isSqlState(code) ? code : undefined
}

/** Classifies any thrown value; see {@link ErrorClass}. */
export function classifyError(error: unknown): Classification {
  const cause = root(error)
  const code = (cause as { code?: unknown } | null)?.code
  if (isSqlState(code)) {
    if (code.startsWith('08')) return lost(code, `connection failure (${code})`)
    const gone = CONNECTION_LOST[code]
    if (gone) return lost(code, `${gone} (${code})`)
    const transient = TRANSIENT[code]
    if (transient) return { class: 'transient', transient: true, code, kind: `${transient} (${code})` }
    return { class: 'permanent', transient: false, code, kind: `database error (${code})` }
  }
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return lost(code, `network error (${code})`)
  const message = cause instanceof Error ? cause.message : String(cause)
  if (DRIVER_LOSS.test(message)) return lost(null, 'connection lost')
  return {
    class: 'permanent',
    transient: false,
    code: typeof code === 'string' ? code : null,
    kind: 'error',
  }
}

function lost(code: string | null, kind: string): Classification {
  return { class: 'connection-lost', transient: true, code, kind }
}

/** True for errors after which a connection cannot be trusted (cut, refused, or the server went away). */
export function isConnectionLoss(error: unknown): boolean {
  return classifyError(error).class === 'connection-lost'
}

/** Worth another attempt: transient or connection lost. */
export function isTransient(error: unknown): boolean {
  return classifyError(error).transient
}
