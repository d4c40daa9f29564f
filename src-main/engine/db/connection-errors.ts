import type { PostgresConfig } from '../config.js'
import { AssayError } from '../errors.js'

/**
 * Turns a failure to connect into a message a person can act on. Expected causes get their own code;
 * anything else keeps the driver's message (never a stack).
 */
export function explainConnectionError(error: unknown, config: PostgresConfig): AssayError {
  const code = (error as { code?: string } | null)?.code
  const where = `${config.host}:${config.port}`
  const raw = error instanceof Error ? error.message : String(error)
  switch (code) {
    case 'ECONNREFUSED':
      return new AssayError(
        'db_unreachable',
        `cannot reach PostgreSQL at ${where}: connection refused — is the server running?`,
        { cause: error },
      )
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new AssayError(
        'db_unreachable',
        `cannot reach PostgreSQL at ${where}: host "${config.host}" not found`,
        { cause: error },
      )
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new AssayError(
        'db_unreachable',
        `cannot reach PostgreSQL at ${where}: ${code === 'ETIMEDOUT' ? 'timed out' : 'no route to host'}`,
        { cause: error },
      )
    case '28P01':
      return new AssayError(
        'db_auth',
        `password authentication failed for user "${config.user}" at ${where} — check DB_PASSWORD`,
        { cause: error },
      )
    case '28000':
      return new AssayError('db_auth', `PostgreSQL at ${where} refused user "${config.user}": ${raw}`, {
        cause: error,
      })
    case '3D000':
      return new AssayError(
        'db_missing',
        `database "${config.database}" does not exist on ${where} — create it with: createdb -h ${config.host} -p ${config.port} -U ${config.user} ${config.database}`,
        { cause: error },
      )
    case '57P03':
      return new AssayError(
        'db_unreachable',
        `PostgreSQL at ${where} is starting up or shutting down; try again shortly`,
        { cause: error },
      )
    case '53300':
      return new AssayError('db_busy', `PostgreSQL at ${where} has too many connections`, { cause: error })
  }
  if (/timeout/i.test(raw)) {
    return new AssayError('db_unreachable', `cannot reach PostgreSQL at ${where}: connection timed out`, {
      cause: error,
    })
  }
  return new AssayError('db_connect', `cannot connect to PostgreSQL at ${where}: ${raw}`, { cause: error })
}
