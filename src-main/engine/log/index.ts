import type { RunHooks } from '../api.js'
import type { Db, Queryable } from '../db/types.js'
import { DbLogSink } from './db-sink.js'
import { callbackSink, Logger, type LogSink } from './logger.js'
import { type BackfillReport, backfillSpool, spoolDir } from './spool.js'
import { defaultLogDir, fileSink, stdoutSink } from './stream-sinks.js'

export { DbLogSink } from './db-sink.js'
export { Logger, type LogSink } from './logger.js'

/**
 * Adds the records runs spooled while the database was away (spool.ts) to ops.pipeline_logs. The console calls
 * it whenever its database comes back, so a run that lost its database shows its retries and errors at once,
 * not after the next run.
 */
export function backfillLogSpool(db: Queryable, logDir = defaultLogDir()): Promise<BackfillReport> {
  return backfillSpool(db, spoolDir(logDir))
}

export interface RunLoggerOptions {
  pipelineName: string
  runId: string | null
  logger: string
  module: string
}

/**
 * The logger of one run, assembled from its caller's hooks: stdout (json or pretty), ops.pipeline_logs (batched,
 * buffered when the database is away), the rotating log file, and the caller's own callback.
 */
export function createRunLogger(
  db: Db,
  hooks: Pick<RunHooks, 'stdout' | 'logLevel' | 'logDir' | 'onLog'>,
  options: RunLoggerOptions,
): { logger: Logger; dbSink: DbLogSink } {
  const verbose = hooks.logLevel === 'DEBUG'
  const trouble = (message: string) => {
    if (hooks.stdout !== 'none') process.stderr.write(`assay: ${message}\n`)
  }
  const dbSink = new DbLogSink(db, {
    minLevel: verbose ? 'DEBUG' : 'INFO',
    onTrouble: trouble,
    spoolDir: spoolDir(hooks.logDir ?? defaultLogDir()),
  })
  const sinks: LogSink[] = [dbSink]
  if (hooks.stdout && hooks.stdout !== 'none') sinks.push(stdoutSink(hooks.logLevel ?? 'INFO', hooks.stdout))
  try {
    sinks.push(fileSink('DEBUG', hooks.logDir))
  } catch (error) {
    trouble(`log file disabled: ${error instanceof Error ? error.message : error}`)
  }
  if (hooks.onLog) sinks.push(callbackSink(verbose ? 'DEBUG' : 'INFO', hooks.onLog))
  const logger = new Logger(sinks, {
    logger: options.logger,
    pipelineName: options.pipelineName,
    runId: options.runId,
    module: options.module,
  })
  return { logger, dbSink }
}
