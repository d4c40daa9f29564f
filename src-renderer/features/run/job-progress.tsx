import type { JobSnapshot, RunProgress, UnitProgress } from '../../../src-shared/contract'
import { endedAs, runProgress } from '../../../src-shared/ops-states'
import { unitCounts } from '../../../src-shared/run-progress'
import { describeScope } from '../../../src-shared/scope'
import { ProgressBar } from '../../components/feedback'
import { RunStatusBadge, UnitStateBadge } from '../../components/status'
import { formatDuration, formatElapsed, formatTime, plural, shortId, zoneLabel } from '../../lib/format'
import { useNow } from '../../lib/use-now'

const PIPELINE_TITLE = { monthly: 'Monthly pipeline', reliable: 'Reliable pipeline' } as const

const SKIP_REASON: Record<string, string> = {
  up_to_date: 'already completed and up to date',
  no_data: 'no silver rows: nothing to aggregate',
  running_elsewhere: 'another run is processing this month',
}

function unitDetail(unit: UnitProgress): string {
  if (unit.state === 'retrying') {
    const of = unit.maxAttempts ? ` of ${unit.maxAttempts}` : ''
    return `attempt ${unit.attempt}${of} failed: ${unit.error ?? 'error'} — next try at ${formatTime(unit.nextAttemptAt)}`
  }
  if (unit.state === 'failed') return unit.error ?? 'failed'
  if (unit.state === 'skipped') return unit.reason ? (SKIP_REASON[unit.reason] ?? unit.reason) : ''
  if (unit.state === 'completed' && unit.rows !== null) return plural(unit.rows, 'row')
  return ''
}

function UnitRow({ unit, now, finished }: { unit: UnitProgress; now: number; finished: boolean }) {
  const live = unit.state === 'running' || unit.state === 'retrying'
  const elapsed =
    live && unit.startedAt ? formatElapsed(unit.startedAt, now) : formatDuration(unit.durationMs)
  return (
    <tr data-unit={unit.unit} data-unit-state={unit.state}>
      <th scope="row">{unit.unit}</th>
      <td>
        <UnitStateBadge state={unit.state} finished={finished} />
      </td>
      <td className="num">{unit.state === 'pending' ? '—' : elapsed}</td>
      <td className="num">{unit.attempt || '—'}</td>
      <td
        className={unit.state === 'failed' || unit.state === 'retrying' ? 'detail detail-problem' : 'detail'}
      >
        {unitDetail(unit)}
      </td>
    </tr>
  )
}

function RunTable({ run, now }: { run: RunProgress; now: number }) {
  const counts = unitCounts(run)
  const progress = runProgress(run)
  const total = progress.total
  const noun = run.pipeline === 'monthly' ? 'month' : 'stage'
  return (
    <section
      className="run-block"
      aria-label={PIPELINE_TITLE[run.pipeline]}
      data-run-id={run.runId}
      data-run-status={run.status}
    >
      <header className="run-block-header">
        <h3>{PIPELINE_TITLE[run.pipeline]}</h3>
        <RunStatusBadge status={run.status} />
        <span className="muted">
          run {shortId(run.runId)} ·{' '}
          {run.status === 'running'
            ? `elapsed ${formatElapsed(run.startedAt, now)}`
            : formatDuration(run.durationMs)}
        </span>
      </header>
      {total === 0 ? (
        <p className="muted">
          Nothing to do: no {noun} in scope has silver data{noun === 'month' ? ' to process' : ''}.
        </p>
      ) : (
        <>
          <div className="run-progress-line">
            <ProgressBar
              fraction={progress.done / total}
              tone={progress.tone}
              label={`${PIPELINE_TITLE[run.pipeline]} progress`}
            />
            <span>
              {counts.completed} of {plural(total, noun)} completed
              {counts.failed ? `, ${counts.failed} failed` : ''}
              {counts.skipped ? `, ${counts.skipped} skipped` : ''}
              {counts.cancelled ? `, ${counts.cancelled} cancelled` : ''}
              {counts.interrupted ? `, ${counts.interrupted} interrupted` : ''}
            </span>
          </div>
          <table className="table units-table">
            <thead>
              <tr>
                <th scope="col">{noun === 'month' ? 'Month' : 'Stage'}</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Elapsed
                </th>
                <th scope="col" className="num">
                  Attempt
                </th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {run.units.map((unit) => (
                <UnitRow key={unit.unit} unit={unit} now={now} finished={run.status !== 'running'} />
              ))}
            </tbody>
          </table>
        </>
      )}
      {run.error && run.status !== 'cancelled' ? <p className="inline-error">{run.error}</p> : null}
    </section>
  )
}

/** The console's current or last job: one block per pipeline run, live. */
export function JobProgress({
  job,
  onCancel,
  cancelling,
}: {
  job: JobSnapshot
  onCancel: () => void
  cancelling: boolean
}) {
  const running = job.status === 'running'
  const now = useNow(running)
  const waiting = job.options.pipeline === 'both' && job.runs.length === 1 && running
  // "Both" stops after a failed monthly run: say so, rather than leave the reliable half unmentioned.
  const reliableSkipped = job.options.pipeline === 'both' && job.runs.length === 1 && !running
  // The job's error is usually its last run's: print it once, under that run.
  const jobError =
    (job.status === 'failed' || job.status === 'interrupted') &&
    job.error &&
    !job.runs.some((r) => r.error === job.error)
      ? job.error
      : null
  const title =
    job.options.pipeline === 'both' ? 'Monthly, then reliable' : PIPELINE_TITLE[job.options.pipeline]
  return (
    <div className="panel job" data-job-status={job.status} aria-live="polite">
      <header className="panel-header">
        <div>
          <h2>
            {running ? 'Running' : 'Last run'}: {title}
          </h2>
          <p className="muted">
            {job.options.pipeline !== 'reliable'
              ? `${describeScope(job.options.scope)}${job.options.force ? ', forced' : ''} · `
              : ''}
            started {formatTime(job.startedAt)}
            {job.endedAt ? ` · ended ${formatTime(job.endedAt)}` : ''} ({zoneLabel()})
          </p>
        </div>
        <div className="panel-header-actions">
          <RunStatusBadge status={job.status} />
          {running ? (
            <button
              type="button"
              className="button button-danger-outline"
              onClick={onCancel}
              disabled={cancelling || job.cancelRequested}
            >
              {job.cancelRequested ? 'Cancelling…' : 'Cancel'}
            </button>
          ) : null}
        </div>
      </header>
      {job.status === 'cancelled' ? (
        <p className="notice">
          Cancelled. Completed months stay completed; the month in flight was rolled back.
        </p>
      ) : null}
      {jobError ? <p className="inline-error">{jobError}</p> : null}
      {job.runs.map((run) => (
        <RunTable key={run.runId} run={run} now={now} />
      ))}
      {waiting ? <p className="muted">The reliable pipeline starts when the monthly run completes.</p> : null}
      {reliableSkipped ? (
        <p className="notice" data-testid="reliable-not-started">
          The reliable pipeline did not start: the monthly run {endedAs(job.status)}.
        </p>
      ) : null}
    </div>
  )
}
