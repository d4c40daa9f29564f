import type { Command } from 'commander'
import { type ConnectionFlags, type DbConfig, describeConfig, resolveDbConfig } from '../engine/config.js'
import { openDb } from '../engine/db/open.js'
import type { Db } from '../engine/db/types.js'
import { AssayError, messageOf, UsageError } from '../engine/errors.js'
import { commandPath, note } from './usage.js'

export { commandPath, note }

/** Options every command that touches the database accepts. */
export function addConnectionOptions(command: Command): Command {
  return command
    .option(
      '--database-url <url>',
      'PostgreSQL URL (default: DATABASE_URL, or DB_HOST/DB_PORT/DB_NAME/DB_USER/DB_PASSWORD from the environment or .env)',
    )
    .option(
      '--data-dir <dir>',
      'embedded database directory (default: ASSAY_DATA_DIR or the per-user data folder)',
    )
    .option('--embedded', 'use the embedded database even if a PostgreSQL connection is configured')
}

export function connectionFlags(options: Record<string, unknown>): ConnectionFlags {
  return {
    databaseUrl: options.databaseUrl as string | undefined,
    dataDir: options.dataDir as string | undefined,
    embedded: options.embedded as boolean | undefined,
  }
}

/** Resolves the connection, says where the data is, opens it, runs `fn`, and always closes. */
export async function withCliDb<T>(
  options: Record<string, unknown>,
  fn: (db: Db, config: DbConfig) => Promise<T>,
): Promise<T> {
  const config = resolveDbConfig(connectionFlags(options))
  if (!options.quiet) note(`assay: using ${describeConfig(config)}`)
  const db = await openDb(config, { applicationName: 'assay-cli' })
  try {
    return await fn(db, config)
  } finally {
    await db.close()
  }
}

/** Prints an error the CLI way: a message, the usage line for bad usage, never a stack (unless ASSAY_DEBUG). */
export function reportError(error: unknown, command?: Command): number {
  if (error instanceof AssayError) {
    note(`error: ${error.message}`)
    if (error instanceof UsageError && command) note(`usage: ${commandPath(command)} ${command.usage()}`)
    if (process.env.ASSAY_DEBUG) note(String(error.stack))
    return error.exitCode
  }
  note(`error: ${messageOf(error)}`)
  if (process.env.ASSAY_DEBUG && error instanceof Error) note(String(error.stack))
  return 1
}

/** Wraps a command action: errors become messages and exit codes; the action's number is the exit code. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number | undefined>) {
  return async function (this: Command, ...args: A): Promise<void> {
    try {
      const code = await fn(...args)
      process.exitCode = typeof code === 'number' ? code : 0
    } catch (error) {
      process.exitCode = reportError(error, this)
    }
  }
}
