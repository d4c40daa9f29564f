import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RetrySettings } from '../../../src-shared/pipeline.js'
import { backends, type Scratch } from '../../test-support/scratch.js'
import { SEED_LOG_TABLE_COLUMNS } from '../../test-support/seed.js'
import type { RunHooks } from '../api.js'
import type { Row } from '../db/types.js'
import { faults, parseFaults } from '../faults.js'
import { runMonthly } from '../monthly/index.js'
import { defaultFixture, loadFixture } from './fixture.js'
import { runReliable } from './pipeline.js'

/**
 * Every query of the seed's "Verify Reliability Features", "Query Examples" and "Troubleshooting" sections
 * (session3-reliability.md), copied verbatim. The only change made before running them: the trace query's
 * 'your-run-id' placeholder becomes a real run id. (`\dt ops.*` in the seed is a psql meta-command, not SQL.)
 */
const SEED: { section: 'verify' | 'examples' | 'troubleshooting'; name: string; sql: string }[] = [
  {
    section: 'verify',
    name: 'View processed months (idempotency)',
    sql: `SELECT * FROM ops.processed_months ORDER BY month_key DESC;`,
  },
  {
    section: 'verify',
    name: 'View checkpoints',
    sql: `SELECT * FROM ops.pipeline_checkpoint ORDER BY updated_at DESC LIMIT 20;`,
  },
  {
    section: 'verify',
    name: 'View pipeline logs',
    sql: `SELECT * FROM ops.pipeline_logs ORDER BY timestamp DESC LIMIT 20;`,
  },
  {
    section: 'verify',
    name: 'Check checkpoint recovery',
    sql: `SELECT pipeline_name, run_id, stage, status, checkpoint_value
FROM ops.pipeline_checkpoint
WHERE status = 'completed'
ORDER BY updated_at DESC;`,
  },
  {
    section: 'examples',
    name: 'Check Pipeline Health',
    sql: `SELECT
    pipeline_name,
    COUNT(*) as total_runs,
    SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END) as successful_runs,
    SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) as failed_runs,
    AVG(duration_ms) as avg_duration_ms
FROM ops.pipeline_checkpoint
GROUP BY pipeline_name;`,
  },
  {
    section: 'examples',
    name: 'Analyze Pipeline Failures',
    sql: `SELECT
    stage,
    COUNT(*) as failure_count,
    MAX(updated_at) as last_failure
FROM ops.pipeline_checkpoint
WHERE status = 'failed'
GROUP BY stage
ORDER BY failure_count DESC;`,
  },
  {
    section: 'examples',
    name: 'Log Analysis by Level',
    sql: `SELECT
    level,
    COUNT(*) as log_count,
    COUNT(DISTINCT run_id) as affected_runs
FROM ops.pipeline_logs
WHERE timestamp > NOW() - INTERVAL '24 hours'
GROUP BY level
ORDER BY log_count DESC;`,
  },
  {
    section: 'examples',
    name: 'Identify Slow Stages',
    sql: `SELECT
    stage,
    AVG(duration_ms) as avg_duration_ms,
    MAX(duration_ms) as max_duration_ms,
    COUNT(*) as executions
FROM ops.pipeline_checkpoint
WHERE status = 'completed'
GROUP BY stage
ORDER BY avg_duration_ms DESC;`,
  },
  {
    section: 'examples',
    name: 'Trace Pipeline Execution',
    sql: `SELECT
    cp.run_id,
    cp.stage,
    cp.status,
    cp.start_time,
    cp.end_time,
    cp.duration_ms,
    l.level,
    l.message
FROM ops.pipeline_checkpoint cp
LEFT JOIN ops.pipeline_logs l ON cp.run_id = l.run_id
WHERE cp.run_id = 'your-run-id'
ORDER BY cp.start_time;`,
  },
  {
    section: 'troubleshooting',
    name: 'View recent processed months',
    sql: `SELECT month_key, year, month, status
FROM ops.processed_months
ORDER BY month_key DESC LIMIT 10;`,
  },
  { section: 'troubleshooting', name: 'Reset checkpoint if stuck', sql: `DELETE FROM ops.processed_months;` },
  {
    section: 'troubleshooting',
    name: 'View recent errors',
    sql: `SELECT timestamp, level, message, metadata
FROM ops.pipeline_logs
WHERE level IN ('ERROR', 'CRITICAL')
ORDER BY timestamp DESC LIMIT 20;`,
  },
  {
    section: 'troubleshooting',
    name: 'Search for specific error',
    sql: `SELECT * FROM ops.pipeline_logs
WHERE message ILIKE '%connection%'
ORDER BY timestamp DESC;`,
  },
  {
    section: 'troubleshooting',
    name: 'Check for operations hitting retry limit',
    sql: `SELECT COUNT(*) as retry_exhaustion_count
FROM ops.pipeline_logs
WHERE message ILIKE '%retry%' AND level = 'ERROR';`,
  },
]

const FAST: RetrySettings = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 }

describe.each(backends)("the seed's SQL on $name", ({ scratch }) => {
  let s: Scratch
  let logDir: string
  const runs = { failed: '', resumed: '', exhausted: '', monthly: '' }
  const results = new Map<string, { rows: Row[]; rowCount: number }>()

  beforeAll(async () => {
    s = await scratch()
    logDir = mkdtempSync(join(tmpdir(), 'assay-seed-sql-'))
    await loadFixture(s.db, defaultFixture())
    const hooks = (retry = FAST): RunHooks => ({ trigger: 'cli', stdout: 'none', logDir, retry })

    const monthly = await runMonthly(s.db, { scope: { kind: 'pending' }, force: false }, hooks())
    expect(monthly.status).toBe('completed')
    runs.monthly = monthly.runId

    // A run with injected failures: one transient (retried) on product_performance, a permanent one on country_sales.
    faults.set(parseFaults('stage:product_performance:transient:1,stage:country_sales:permanent'))
    const failed = await runReliable(s.db, {}, hooks())
    expect(failed.status).toBe('failed')
    runs.failed = failed.runId

    faults.set([])
    const resumed = await runReliable(s.db, { resume: failed.runId }, hooks())
    expect(resumed.status).toBe('completed')
    runs.resumed = resumed.runId

    // A run that exhausts its retries.
    faults.set(parseFaults('stage:country_sales:transient:10'))
    const exhausted = await runReliable(s.db, {}, hooks({ maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 }))
    expect(exhausted.status).toBe('failed')
    runs.exhausted = exhausted.runId
    faults.set([])
  })
  afterAll(async () => {
    faults.set([])
    await s.dispose()
    rmSync(logDir, { recursive: true, force: true })
  })

  /** What each query must show after that history: meaningful rows, not merely no error. */
  const expectations: Record<string, (rows: Row[], rowCount: number) => void> = {
    'View processed months (idempotency)': (rows) => {
      expect(rows.map((r) => [r.month_key, r.status])).toEqual([
        ['2011-02', 'completed'],
        ['2011-01', 'completed'],
        ['2010-12', 'completed'],
      ])
    },
    'View checkpoints': (rows) => {
      expect(rows.length).toBeGreaterThanOrEqual(7)
      expect(rows.length).toBeLessThanOrEqual(20)
      expect(new Set(rows.map((r) => r.pipeline_name))).toEqual(
        new Set(['reliable_gold_pipeline', 'idempotent_gold_pipeline']),
      )
      expect(rows.some((r) => r.status === 'failed' && (r.metadata as Row).sqlstate === '22012')).toBe(true)
    },
    'View pipeline logs': (rows) => {
      expect(rows).toHaveLength(20)
      expect(Object.keys(rows[0] ?? {})).toEqual(SEED_LOG_TABLE_COLUMNS)
    },
    'Check checkpoint recovery': (rows) => {
      expect(rows.every((r) => r.status === 'completed')).toBe(true)
      const reliable = rows.filter((r) => r.pipeline_name === 'reliable_gold_pipeline')
      expect(reliable.map((r) => [r.run_id, r.stage]).sort()).toEqual(
        [
          [runs.failed, 'product_performance'],
          [runs.resumed, 'country_sales'],
          [runs.exhausted, 'product_performance'],
        ].sort(),
      )
      expect(reliable.every((r) => Number(r.checkpoint_value) >= 0)).toBe(true)
      expect(rows.some((r) => r.pipeline_name === 'idempotent_gold_pipeline')).toBe(true)
    },
    'Check Pipeline Health': (rows) => {
      const reliable = rows.find((r) => r.pipeline_name === 'reliable_gold_pipeline')
      expect(reliable).toMatchObject({ total_runs: 5, successful_runs: 3, failed_runs: 2 })
      expect(Number(reliable?.avg_duration_ms)).toBeGreaterThanOrEqual(0)
      const monthly = rows.find((r) => r.pipeline_name === 'idempotent_gold_pipeline')
      expect(monthly).toMatchObject({ failed_runs: 0 })
      expect(Number(monthly?.successful_runs)).toBeGreaterThanOrEqual(3)
    },
    'Analyze Pipeline Failures': (rows) => {
      expect(rows).toEqual([{ stage: 'country_sales', failure_count: 2, last_failure: expect.any(String) }])
    },
    'Log Analysis by Level': (rows) => {
      const byLevel = Object.fromEntries(rows.map((r) => [r.level, r]))
      expect(Object.keys(byLevel)).toEqual(expect.arrayContaining(['INFO', 'WARNING', 'ERROR']))
      expect(Number(byLevel.INFO?.affected_runs)).toBeGreaterThanOrEqual(4)
      expect(byLevel.WARNING).toMatchObject({ affected_runs: 2 })
      expect(byLevel.ERROR).toMatchObject({ affected_runs: 2 })
      expect(rows.map((r) => Number(r.log_count))).toEqual(
        [...rows.map((r) => Number(r.log_count))].sort((a, b) => b - a),
      )
    },
    'Identify Slow Stages': (rows) => {
      const stages = Object.fromEntries(rows.map((r) => [r.stage, r]))
      expect(stages.product_performance).toMatchObject({ executions: 2 })
      expect(stages.country_sales).toMatchObject({ executions: 1 })
      expect(Number(stages.monthly_aggregate?.executions)).toBeGreaterThanOrEqual(3)
      for (const r of rows)
        expect(Number(r.max_duration_ms)).toBeGreaterThanOrEqual(Number(r.avg_duration_ms) - 1)
    },
    'Trace Pipeline Execution': (rows) => {
      expect(rows.length).toBeGreaterThan(10)
      expect(new Set(rows.map((r) => r.run_id))).toEqual(new Set([runs.failed]))
      expect(new Set(rows.map((r) => r.stage))).toEqual(new Set(['product_performance', 'country_sales']))
      expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['completed', 'failed']))
      const messages = rows.map((r) => String(r.message))
      expect(messages).toContain('Database connection established')
      expect(
        messages.some((m) =>
          /attempt 1 of 4 failed for product_performance: serialization failure \(40001\)/.test(m),
        ),
      ).toBe(true)
      expect(
        messages.some((m) =>
          /^country_sales failed with a permanent error \(not retried\): .*\[SQLSTATE 22012\]/.test(m),
        ),
      ).toBe(true)
    },
    'View recent processed months': (rows) => {
      expect(rows.map((r) => r.month_key)).toEqual(['2011-02', '2011-01', '2010-12'])
    },
    'View recent errors': (rows) => {
      expect(rows.length).toBeGreaterThanOrEqual(4)
      expect(rows.every((r) => r.level === 'ERROR' || r.level === 'CRITICAL')).toBe(true)
      expect(rows.some((r) => (r.metadata as Row).sqlstate === '22012')).toBe(true)
      expect(rows.some((r) => (r.metadata as Row).retries_exhausted === true)).toBe(true)
    },
    'Search for specific error': (rows) => {
      const reliable = rows.filter((r) => r.pipeline_name === 'reliable_gold_pipeline')
      expect(reliable.filter((r) => r.message === 'Database connection established')).toHaveLength(3)
    },
    'Check for operations hitting retry limit': (rows) => {
      expect(rows).toEqual([{ retry_exhaustion_count: 1 }])
    },
    'Reset checkpoint if stuck': (_rows, rowCount) => {
      expect(rowCount).toBe(3)
    },
  }

  it.each(SEED)('$section: $name', async ({ name, sql }) => {
    let text = sql
    if (name === 'Trace Pipeline Execution') {
      expect(sql.split("'your-run-id'")).toHaveLength(2)
      text = sql.replace("'your-run-id'", `'${runs.failed}'`)
    }
    const result = await s.db.query(text)
    results.set(name, result)
    const check = expectations[name]
    expect(check, `an expectation for "${name}"`).toBeDefined()
    check?.(result.rows, result.rowCount)
  })

  it('ran every seed query', () => {
    expect(results.size).toBe(14)
    expect(Object.keys(expectations).sort()).toEqual(SEED.map((q) => q.name).sort())
  })
})
