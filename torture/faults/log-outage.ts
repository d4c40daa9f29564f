import { sleep, waitFor } from '../runner.js'
import type { FaultFamily, Trial } from '../trial.js'
import { runRegistered, slowMonths } from './common.js'

/**
 * 5. The log store unavailable during a run: ops.pipeline_logs refuses inserts (a trigger raising
 * insufficient_privilege, as after a REVOKE) or is locked (inserts wait). The run must complete, and once the
 * store is back every record the run printed must arrive in the table.
 */
const VARIANTS = ['unwritable', 'locked'] as const

async function blockLogs(trial: Trial, variant: (typeof VARIANTS)[number], ms: number): Promise<void> {
  if (variant === 'unwritable') {
    await trial.sql(`
      CREATE OR REPLACE FUNCTION public.torture_refuse_logs() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'permission denied for table pipeline_logs' USING ERRCODE = '42501'; END $$;
      CREATE TRIGGER torture_refuse_logs BEFORE INSERT ON ops.pipeline_logs
        FOR EACH STATEMENT EXECUTE FUNCTION public.torture_refuse_logs();`)
    await sleep(ms)
    await trial.sql('DROP TRIGGER torture_refuse_logs ON ops.pipeline_logs')
    return
  }
  const client = await trial.pool.connect()
  try {
    await client.query('BEGIN')
    await client.query('LOCK TABLE ops.pipeline_logs IN ACCESS EXCLUSIVE MODE')
    await sleep(ms)
    await client.query('COMMIT')
  } finally {
    client.release()
  }
}

interface Printed {
  timestamp: string
  message: string
  run_id: string | null
  level: string
}

export const logOutage: FaultFamily = {
  name: 'log store outage',
  title: 'ops.pipeline_logs unwritable or locked during a run; buffered logs arrive afterwards',
  async run(trial) {
    const { rng } = trial
    const variant = trial.pickVariant(VARIANTS)
    const delay = rng.int(30, 90)
    const child = trial.monthly([], { faults: slowMonths(delay) })
    await waitFor(() => runRegistered(trial), { timeoutMs: 30_000, until: () => !child.running })
    await sleep(rng.int(0, 300))
    // Shorter than the run plus the sink's closing grace (5 s), so everything can arrive.
    const duration = rng.int(200, Math.min(3500, trial.suite.months.length * delay + 2500))
    const blocked = blockLogs(trial, variant, duration)
    const result = await child.done
    await blocked
    trial.note(`${variant} for ${duration} ms; runner exited ${result.code} after ${result.ms} ms`)
    trial.expectExit('runner', result, [0])
    const printed: Printed[] = result.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as Printed]
        } catch {
          return []
        }
      })
      .filter((record) => record.run_id)
    if (printed.length === 0) {
      trial.fail('the runner printed no JSON log records with a run_id (--log-format json)')
      return
    }
    const stored = await trial.sql<{ message: string; timestamp: string }>(
      `SELECT message, to_char(timestamp, 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS timestamp FROM ops.pipeline_logs WHERE run_id = $1`,
      [printed[0]!.run_id],
    )
    const have = new Set(stored.map((row) => `${row.timestamp}|${row.message}`))
    const missing = printed.filter(
      (record) => !have.has(`${record.timestamp.slice(0, 23)}|${record.message}`),
    )
    if (missing.length > 0)
      trial.fail(
        `${missing.length} of ${printed.length} printed log records never reached ops.pipeline_logs (e.g. "${missing[0]?.message}")`,
      )
  },
}
