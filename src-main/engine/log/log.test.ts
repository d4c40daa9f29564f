import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { describe, expect, it, vi } from 'vitest'
import type { LogRecord } from '../../../src-shared/pipeline.js'
import { backends } from '../../test-support/scratch.js'
import { SEED_LOG_COLUMNS } from '../../test-support/seed.js'
import { waitFor } from '../../test-support/wait.js'
import type { Queryable } from '../db/types.js'
import { logsScratch } from '../logs/test-logs.js'
import { DbLogSink } from './db-sink.js'
import { createRunLogger } from './index.js'
import { callbackSink, Logger } from './logger.js'
import { redact, redactText } from './redact.js'
import { stdoutSink, toJsonLine } from './stream-sinks.js'

const SEED_COLUMNS = SEED_LOG_COLUMNS

/** The seed's "Logging Example", verbatim. */
const SEED_EXAMPLE = `{
  "timestamp": "2024-01-15T10:30:45Z",
  "level": "INFO",
  "message": "Database connection established",
  "pipeline_name": "reliable_gold_pipeline",
  "run_id": "550e8400-e29b-41d4-a716-4466554400000",
  "metadata": {
    "db_host": "localhost",
    "db_port": 5432
  }
}`

function memoryLogger(context: Partial<Logger['context']> = {}) {
  const records: LogRecord[] = []
  const logger = new Logger([callbackSink('DEBUG', (r) => records.push(r))], {
    logger: 'assay.test',
    pipelineName: 'reliable_gold_pipeline',
    runId: '550e8400-e29b-41d4-a716-446655440000',
    module: 'log/test',
    ...context,
  })
  return { logger, records }
}

function record(i: number, extra: Partial<LogRecord> = {}): LogRecord {
  return {
    timestamp: new Date(Date.UTC(2024, 0, 15, 10, 30, 45, i % 1000)).toISOString(),
    level: 'INFO',
    message: `record ${i}`,
    logger: 'assay.test',
    pipeline_name: 'sink_test',
    run_id: 'run-1',
    module: 'log/test',
    function: 'record',
    line: i,
    metadata: { i },
    ...extra,
  }
}

/** A Queryable that counts the statements it forwards. */
function counting(db: Queryable): Queryable & { calls: number } {
  const wrapper = {
    calls: 0,
    query: ((statement, values) => {
      wrapper.calls++
      return db.query(statement, values)
    }) as Queryable['query'],
    exec: (script: string) => db.exec(script),
  }
  return wrapper
}

describe('Logger', () => {
  it('makes records in the seed shape: every column, UTC ISO timestamp, JSON metadata', () => {
    const { logger, records } = memoryLogger()
    logger.info(
      'Database connection established',
      { db_host: 'localhost', db_port: 5432 },
      { fn: 'connect', line: 42 },
    )
    const [r] = records
    expect(Object.keys(r ?? {}).sort()).toEqual([...SEED_COLUMNS].sort())
    expect(r).toMatchObject({
      level: 'INFO',
      message: 'Database connection established',
      logger: 'assay.test',
      pipeline_name: 'reliable_gold_pipeline',
      run_id: '550e8400-e29b-41d4-a716-446655440000',
      module: 'log/test',
      function: 'connect',
      line: 42,
      metadata: { db_host: 'localhost', db_port: 5432 },
    })
    expect(r?.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  })

  it('filters by each sink level', () => {
    const infos: LogRecord[] = []
    const all: LogRecord[] = []
    const logger = new Logger(
      [callbackSink('INFO', (r) => infos.push(r)), callbackSink('DEBUG', (r) => all.push(r))],
      { logger: 't', pipelineName: null, runId: null, module: null },
    )
    logger.debug('d')
    logger.warning('w')
    expect(infos.map((r) => r.level)).toEqual(['WARNING'])
    expect(all.map((r) => r.level)).toEqual(['DEBUG', 'WARNING'])
  })

  it('survives a throwing listener and unserialisable metadata', () => {
    const logger = new Logger(
      [
        callbackSink('DEBUG', () => {
          throw new Error('listener bug')
        }),
      ],
      { logger: 't', pipelineName: null, runId: null, module: null },
    )
    expect(() =>
      logger.info('x', { big: 10n ** 30n, error: Object.assign(new Error('e'), { code: '40001' }) }),
    ).not.toThrow()
    const { logger: l2, records } = memoryLogger()
    l2.info('x', { big: 10n ** 30n, error: Object.assign(new Error('e'), { code: '40001' }) })
    expect(records[0]?.metadata).toEqual({
      big: '1000000000000000000000000000000',
      error: { name: 'Error', message: 'e', code: '40001' },
    })
    expect(() => toJsonLine(records[0] as LogRecord)).not.toThrow()
  })
})

describe('--log-format json', () => {
  it("prints one JSON object per line whose keys are the seed's, the example's in the example's order", () => {
    const lines: string[] = []
    const out = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk))
        done()
      },
    })
    const sink = stdoutSink('INFO', 'json', out)
    const logger = new Logger([sink], {
      logger: 'assay.reliable',
      pipelineName: 'reliable_gold_pipeline',
      runId: '550e8400-e29b-41d4-a716-446655440000',
      module: 'reliable/pipeline',
    })
    logger.info('Database connection established', { db_host: 'localhost', db_port: 5432 })
    logger.debug('not shown')
    expect(lines).toHaveLength(1)
    expect(lines[0]?.endsWith('\n')).toBe(true)
    expect(lines[0]?.trimEnd().includes('\n')).toBe(false)
    const parsed = JSON.parse(lines[0] ?? '')
    const keys = Object.keys(parsed)
    expect(keys).toEqual(SEED_COLUMNS)
    const exampleKeys = Object.keys(JSON.parse(SEED_EXAMPLE))
    expect(keys.filter((k) => exampleKeys.includes(k))).toEqual(exampleKeys)
    expect(parsed).toMatchObject({
      level: 'INFO',
      message: 'Database connection established',
      pipeline_name: 'reliable_gold_pipeline',
      metadata: { db_host: 'localhost', db_port: 5432 },
    })
    expect(parsed.timestamp).toMatch(/Z$/)
  })
})

describe('redaction', () => {
  it('masks passwords in URLs, key=value text and secret-looking metadata keys', () => {
    expect(redactText('connecting to postgres://u:secret@h/db')).toBe('connecting to postgres://u:***@h/db')
    expect(redactText('host=h password=secret dbname=x')).toBe('host=h password=*** dbname=x')
    expect(redactText('DB_PASSWORD=secret')).toBe('DB_PASSWORD=***')
    expect(redactText('password authentication failed for user "postgres"')).toBe(
      'password authentication failed for user "postgres"',
    )
    expect(
      redact({
        password: 'secret',
        db_password: 'secret',
        url: 'postgres://u:secret@h/db',
        nested: { connection_string: 'x', list: ['postgres://u:secret@h/db'] },
        db_port: 5432,
      }),
    ).toEqual({
      password: '[redacted]',
      db_password: '[redacted]',
      url: 'postgres://u:***@h/db',
      nested: { connection_string: '[redacted]', list: ['postgres://u:***@h/db'] },
      db_port: 5432,
    })
  })
})

describe.each(backends)('log sinks on $name', ({ scratch }) => {
  const s = logsScratch(scratch)

  async function stored(): Promise<LogRecord[]> {
    const { rows } = await s.db.query<LogRecord>(
      `SELECT timestamp, level, message, logger, pipeline_name, run_id, module, function, line, metadata
       FROM ops.pipeline_logs ORDER BY id`,
    )
    return rows
  }

  it('keeps "secret" out of every sink: ops.pipeline_logs, stdout and the log file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-log-'))
    const printed: string[] = []
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk))
      return true
    })
    try {
      const { logger } = createRunLogger(
        s.db,
        { stdout: 'json', logLevel: 'DEBUG', logDir: dir },
        {
          pipelineName: 'reliable_gold_pipeline',
          runId: 'run-redaction',
          logger: 'assay.test',
          module: 'log/test',
        },
      )
      logger.info('connecting with postgres://u:secret@h/db and password=secret', {
        password: 'secret',
        url: 'postgres://u:secret@h/db',
        nested: { dsn: 'postgres://u:secret@h/db', args: ['--database-url', 'postgres://u:secret@h/db'] },
      })
      logger.error(`failed: ${new Error('password=secret rejected').message}`, { DB_PASSWORD: 'secret' })
      await logger.close()
    } finally {
      write.mockRestore()
    }
    const rows = await stored()
    expect(rows).toHaveLength(2)
    const file = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('')
    expect(printed.join('')).toContain('postgres://u:***@h/db')
    expect(file).toContain('postgres://u:***@h/db')
    for (const text of [JSON.stringify(rows), printed.join(''), file]) {
      expect(text).not.toContain('secret')
    }
    expect(file.trim().split('\n')).toHaveLength(2)
    rmSync(dir, { recursive: true, force: true })
  })

  it('writes in batches, never one statement per record', async () => {
    const db = counting(s.db)
    const sink = new DbLogSink(db, { intervalMs: 10_000 })
    for (let i = 0; i < 5000; i++) sink.write(record(i))
    await sink.flush()
    expect(db.calls).toBe(3)
    const rows = await stored()
    expect(rows).toHaveLength(5000)
    expect(rows[4999]).toMatchObject({ message: 'record 4999', line: 4999, metadata: { i: 4999 } })
    await sink.close()
  })

  it('flushes on its own within its interval', async () => {
    const sink = new DbLogSink(s.db, { intervalMs: 20 })
    sink.write(record(1))
    await waitFor('the timed flush', async () => (await stored()).length > 0, 1000)
    expect(await stored()).toHaveLength(1)
    await sink.close()
  })

  it('buffers through a log store outage and writes everything when it returns', async () => {
    const trouble: string[] = []
    const sink = new DbLogSink(s.db, { intervalMs: 10_000, onTrouble: (m) => trouble.push(m) })
    await s.db.exec('ALTER TABLE ops.pipeline_logs RENAME TO pipeline_logs_away')
    try {
      for (let i = 0; i < 300; i++) sink.write(record(i))
      await expect(sink.flush()).resolves.toBeUndefined()
      expect(sink.stats).toEqual({ buffered: 300, dropped: 0 })
      expect(trouble).toEqual([
        expect.stringMatching(/^cannot write to ops.pipeline_logs .*; buffering records$/),
      ])
      sink.write(record(300))
    } finally {
      await s.db.exec('ALTER TABLE ops.pipeline_logs_away RENAME TO pipeline_logs')
    }
    await sink.flush()
    expect(sink.stats).toEqual({ buffered: 0, dropped: 0 })
    const rows = await stored()
    expect(rows.map((r) => r.message)).toEqual(Array.from({ length: 301 }, (_, i) => `record ${i}`))
    expect(trouble.at(-1)).toMatch(/writable again/)
    await sink.close()
  })

  it('drops the oldest records beyond its bound and reports how many in a WARNING record', async () => {
    const sink = new DbLogSink(s.db, { intervalMs: 10_000, maxBuffered: 100, onTrouble: () => {} })
    await s.db.exec('ALTER TABLE ops.pipeline_logs RENAME TO pipeline_logs_away')
    try {
      for (let i = 0; i < 250; i++) sink.write(record(i))
      await sink.flush()
      expect(sink.stats).toEqual({ buffered: 100, dropped: 150 })
    } finally {
      await s.db.exec('ALTER TABLE ops.pipeline_logs_away RENAME TO pipeline_logs')
    }
    await sink.flush()
    const rows = await stored()
    expect(rows).toHaveLength(101)
    const warning = rows.find((r) => r.level === 'WARNING')
    expect(warning).toMatchObject({ metadata: { dropped: 150 }, pipeline_name: 'sink_test', run_id: 'run-1' })
    expect(warning?.message).toMatch(/^150 log records were dropped/)
    expect(rows.filter((r) => r.level === 'INFO').map((r) => r.message)[0]).toBe('record 150')
    expect(sink.stats).toEqual({ buffered: 0, dropped: 0 })
    await sink.close()
  })

  it('writes exactly the records it took when the bound trims the buffer during a slow INSERT', async () => {
    const slow: Queryable = {
      query: async (statement, values) => {
        await new Promise((r) => setTimeout(r, 50))
        return s.db.query(statement, values)
      },
      exec: (script) => s.db.exec(script),
    }
    const sink = new DbLogSink(slow, { intervalMs: 10_000, maxBuffered: 10 })
    for (let i = 0; i < 10; i++) sink.write(record(i))
    const inFlight = sink.flush()
    for (let i = 10; i < 25; i++) sink.write(record(i))
    await inFlight
    await sink.flush()
    const messages = (await stored()).map((r) => r.message)
    expect(messages).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `record ${i}`),
      expect.stringMatching(/^5 log records were dropped/),
      ...Array.from({ length: 10 }, (_, i) => `record ${i + 15}`),
    ])
    await sink.close()
  })

  it('does not let one oversized or odd record block its batch', async () => {
    const sink = new DbLogSink(s.db, { intervalMs: 10_000 })
    sink.write(record(1, { module: 'm'.repeat(300), function: 'f'.repeat(300) }))
    sink.write(record(2, { metadata: { big: 12n } as unknown as Record<string, unknown> }))
    await sink.flush()
    expect(sink.stats.buffered).toBe(0)
    const rows = await stored()
    expect(rows).toHaveLength(2)
    expect(rows[0]?.module).toHaveLength(100)
    expect(rows[1]?.metadata).toEqual({ big: '12' })
    await sink.close()
  })

  it('gives up on close after its timeout when the store stays away, and says so', async () => {
    const trouble: string[] = []
    const sink = new DbLogSink(s.db, { intervalMs: 10_000, onTrouble: (m) => trouble.push(m) })
    await s.db.exec('ALTER TABLE ops.pipeline_logs RENAME TO pipeline_logs_away')
    try {
      sink.write(record(1))
      const t0 = Date.now()
      await sink.close(600)
      expect(Date.now() - t0).toBeLessThan(3000)
    } finally {
      await s.db.exec('ALTER TABLE ops.pipeline_logs_away RENAME TO pipeline_logs')
    }
    expect(trouble.at(-1)).toMatch(/^1 log records could not be written/)
  })

  it('writes 20,000 records in a handful of batched INSERTs', async () => {
    const db = counting(s.db)
    const sink = new DbLogSink(db, { intervalMs: 100 })
    for (let i = 0; i < 20_000; i++)
      sink.write(record(i, { metadata: { i, stage: 'country_sales', rows: i * 3 } }))
    await sink.close()
    const { rows } = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ops.pipeline_logs')
    expect(rows[0]?.n).toBe(20_000)
    expect(db.calls).toBeLessThanOrEqual(15)
  })
})
