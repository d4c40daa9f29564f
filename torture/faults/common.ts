import type { Trial } from '../trial.js'

/** ASSAY_FAULTS that slow every month (and stage) down, so a fault lands while work is in flight. */
export function slowMonths(ms: number): string {
  return `month:*:delay:${ms}`
}

export function slowStages(ms: number): string {
  return `stage:*:delay:${ms}`
}

/** Months completed so far in the trial's database. */
export async function completedMonths(trial: Trial): Promise<number> {
  const [row] = await trial.sql<{ n: string }>(
    `SELECT count(*)::text AS n FROM ops.processed_months WHERE status = 'completed'`,
  )
  return Number(row?.n ?? 0)
}

/** True once a run is registered as running. */
export async function runRegistered(trial: Trial): Promise<boolean> {
  const rows = await trial.sql(`SELECT 1 FROM ops.pipeline_runs WHERE status = 'running' LIMIT 1`)
  return rows.length > 0
}

/**
 * Backends of the runners (not ours) that are inside a unit's injected delay, i.e. mid-transaction: sleeping in
 * pg_sleep (a month's write carries its delay as a parameter, so its text always names pg_sleep; the wait event
 * says whether it is sleeping now).
 */
export async function sleepingBackends(trial: Trial): Promise<number[]> {
  const rows = await trial.sql<{ pid: string }>(
    `SELECT pid::text FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'
       AND wait_event = 'PgSleep' AND application_name NOT LIKE 'torture%'`,
  )
  return rows.map((row) => Number(row.pid))
}

/** Terminates runner backends from the server side; `onlyPids` limits it. Returns how many were ended. */
export async function terminateRunners(trial: Trial, onlyPids?: number[]): Promise<number> {
  const rows = await trial.sql<{ pid: string }>(
    `SELECT pid::text FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
       AND application_name NOT LIKE 'torture%' AND ($1::int[] IS NULL OR pid = ANY($1::int[]))`,
    [onlyPids ?? null],
  )
  let ended = 0
  for (const { pid } of rows) {
    const [result] = await trial.sql<{ ok: boolean }>('SELECT pg_terminate_backend($1::int) AS ok', [
      Number(pid),
    ])
    if (result?.ok) ended++
  }
  return ended
}

/** The month a runner is working on right now, if any (from its in_progress record). */
export async function monthInProgress(trial: Trial): Promise<string | undefined> {
  const [row] = await trial.sql<{ month_key: string }>(
    `SELECT month_key FROM ops.processed_months WHERE status = 'in_progress' ORDER BY updated_at DESC LIMIT 1`,
  )
  return row?.month_key
}

/** The retry budget in milliseconds: the backoff waits between the configured attempts, jitter included. */
export function retryBudgetMs(trial: Trial): number {
  const { attempts, baseMs, maxMs } = trial.suite.retry
  let total = 0
  for (let attempt = 1; attempt < attempts; attempt++)
    total += Math.min(maxMs, baseMs * 2 ** (attempt - 1) * 1.25)
  return Math.round(total)
}
