import { readdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { createStream, type RotatingFileStream } from 'rotating-file-stream'
import type { LogLevel, LogRecord } from '../../../src-shared/pipeline.js'
import { makePrivateDir, PRIVATE_FILE_MODE, privatiseFile } from '../private-files.js'
import type { LogSink } from './logger.js'

/** The seed's JSON line: its fields in its order. */
export function toJsonLine(record: LogRecord): string {
  const { id: _id, ...rest } = record
  return JSON.stringify({
    timestamp: rest.timestamp,
    level: rest.level,
    message: rest.message,
    logger: rest.logger,
    pipeline_name: rest.pipeline_name,
    run_id: rest.run_id,
    module: rest.module,
    function: rest.function,
    line: rest.line,
    metadata: rest.metadata,
  })
}

const COLOURS: Record<LogLevel, string> = {
  DEBUG: '\x1b[2m',
  INFO: '\x1b[36m',
  WARNING: '\x1b[33m',
  ERROR: '\x1b[31m',
  CRITICAL: '\x1b[41m',
}

/** A readable line for terminals: time, level, message, then compact metadata. */
export function toPrettyLine(record: LogRecord, colour: boolean): string {
  const time = record.timestamp.slice(11, 19)
  const level = record.level.padEnd(8)
  const meta = Object.entries(record.metadata)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`)
    .join(' ')
  const head = colour ? `${COLOURS[record.level]}${level}\x1b[0m` : level
  return `${time} ${head} ${record.message}${meta ? `  ${colour ? '\x1b[2m' : ''}${meta}${colour ? '\x1b[0m' : ''}` : ''}`
}

/** stdout as JSON lines (`--log-format json`) or readable lines. */
export function stdoutSink(
  minLevel: LogLevel,
  format: 'json' | 'pretty',
  out: NodeJS.WritableStream = process.stdout,
): LogSink {
  const colour = format === 'pretty' && Boolean((out as { isTTY?: boolean }).isTTY) && !process.env.NO_COLOR
  return {
    minLevel,
    write: (record) => {
      out.write(`${format === 'json' ? toJsonLine(record) : toPrettyLine(record, colour)}\n`)
    },
    flush: async () => {},
    close: async () => {},
  }
}

/** Where the rotating log file lives by default (XDG state folder on Linux). */
export function defaultLogDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ASSAY_LOG_DIR) return env.ASSAY_LOG_DIR
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Logs', 'Assay')
  if (process.platform === 'win32')
    return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'Assay', 'logs')
  return join(env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'assay', 'logs')
}

/** JSON lines in `assay.log`, rotated at 10 MB, keeping 5 files. */
export function fileSink(minLevel: LogLevel, dir = defaultLogDir()): LogSink {
  makePrivateDir(dir, 'log folder')
  // Only Assay's own files are made private: the folder may be one the user shares (ASSAY_LOG_DIR).
  for (const name of readdirSync(dir)) if (name.includes('assay.log')) privatiseFile(join(dir, name))
  const stream: RotatingFileStream = createStream('assay.log', {
    path: dir,
    size: '10M',
    maxFiles: 5,
    mode: PRIVATE_FILE_MODE,
  })
  stream.on('error', () => undefined)
  return {
    minLevel,
    write: (record) => {
      stream.write(`${toJsonLine(record)}\n`)
    },
    flush: async () => {},
    close: () =>
      new Promise<void>((resolve) => {
        stream.end(() => resolve())
      }),
  }
}
