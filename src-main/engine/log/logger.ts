import type { LogLevel, LogRecord } from '../../../src-shared/pipeline.js'
import { redact, redactText } from './redact.js'

export const LEVELS: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40, CRITICAL: 50 }

/** A destination for records. `write` must not throw or block: sinks buffer and report their own trouble. */
export interface LogSink {
  readonly minLevel: LogLevel
  write(record: LogRecord): void
  flush(): Promise<void>
  close(): Promise<void>
}

export interface LogContext {
  logger: string
  pipelineName: string | null
  runId: string | null
  module: string | null
}

/** Where in the code a record comes from, when the caller knows. */
export interface LogSite {
  fn?: string
  line?: number
}

/**
 * A structured logger in the seed's shape. Records go to every sink whose level admits them; metadata and
 * messages are scrubbed of secrets before any sink sees them.
 */
export class Logger {
  constructor(
    private readonly sinks: LogSink[],
    readonly context: LogContext,
  ) {}

  /** The same sinks with more context (a run id, a module). */
  child(context: Partial<LogContext>): Logger {
    return new Logger(this.sinks, { ...this.context, ...context })
  }

  log(
    level: LogLevel,
    message: string,
    metadata: Record<string, unknown> = {},
    site: LogSite = {},
  ): LogRecord {
    const record: LogRecord = {
      timestamp: new Date().toISOString(),
      level,
      message: redactText(message),
      logger: this.context.logger,
      pipeline_name: this.context.pipelineName,
      run_id: this.context.runId,
      module: this.context.module,
      function: site.fn ?? null,
      line: site.line ?? null,
      metadata: redact(metadata) as Record<string, unknown>,
    }
    const rank = LEVELS[level]
    for (const sink of this.sinks) if (rank >= LEVELS[sink.minLevel]) sink.write(record)
    return record
  }

  debug(message: string, metadata?: Record<string, unknown>, site?: LogSite): void {
    this.log('DEBUG', message, metadata, site)
  }
  info(message: string, metadata?: Record<string, unknown>, site?: LogSite): void {
    this.log('INFO', message, metadata, site)
  }
  warning(message: string, metadata?: Record<string, unknown>, site?: LogSite): void {
    this.log('WARNING', message, metadata, site)
  }
  error(message: string, metadata?: Record<string, unknown>, site?: LogSite): void {
    this.log('ERROR', message, metadata, site)
  }
  critical(message: string, metadata?: Record<string, unknown>, site?: LogSite): void {
    this.log('CRITICAL', message, metadata, site)
  }

  async flush(): Promise<void> {
    await Promise.all(this.sinks.map((sink) => sink.flush()))
  }

  async close(): Promise<void> {
    await Promise.all(this.sinks.map((sink) => sink.close()))
  }
}

/** A sink that hands records to a callback (a console's live view, tests). */
export function callbackSink(minLevel: LogLevel, onRecord: (record: LogRecord) => void): LogSink {
  return {
    minLevel,
    write: (record) => {
      try {
        onRecord(record)
      } catch {
        // A listener's failure must not fail the logging call (and with it the run).
      }
    },
    flush: async () => {},
    close: async () => {},
  }
}
