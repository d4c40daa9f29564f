import type { RunDetail } from '../../../src-shared/history'
import { runDuration, runRetries } from '../../../src-shared/ops-states'
import { formatDateTime, formatDuration, shortId, zoneLabel } from '../../lib/format'
import { hrefOf } from '../../stores/view-store'

/** A run ID as a link to its detail (#/runs/<id>): a real anchor, so it can be copied or opened elsewhere. */
export function RunLink({ runId }: { runId: string }) {
  return (
    <a className="link mono" href={hrefOf({ view: 'runs', runId })} title={runId}>
      {shortId(runId)}
    </a>
  )
}

/** Who ran it, when, how long, with which retry policy, and what it resumed or was resumed by. */
export function RunFacts({ detail }: { detail: RunDetail }) {
  const { run } = detail
  // A crashed run never wrote its duration or retry count: derive them from what its units recorded, a retried
  // unit's last wait included (the run was alive until that retry woke up).
  const lastSeen = Math.max(
    0,
    ...detail.units.flatMap((u) => [
      Date.parse(u.endTime ?? u.startTime ?? '') || 0,
      ...u.attempts.map((a) => (Date.parse(a.at ?? '') || 0) + (a.delayMs ?? 0)),
    ]),
  )
  const duration =
    runDuration(run) ??
    (run.status === 'interrupted' && lastSeen ? lastSeen - Date.parse(run.startedAt) : null)
  const retry = run.args.retry as { maxAttempts?: number; baseDelayMs?: number } | undefined
  return (
    <dl className="fact-row">
      <div>
        <dt>Pipeline</dt>
        <dd>{run.pipelineName}</dd>
      </div>
      <div>
        <dt>Trigger</dt>
        <dd>
          {run.trigger === 'cli' ? 'CLI' : 'Console'} on {run.host ?? '?'}
        </dd>
      </div>
      <div>
        <dt>Started ({zoneLabel()})</dt>
        <dd>{formatDateTime(run.startedAt)}</dd>
      </div>
      <div>
        <dt>Duration</dt>
        <dd data-testid="run-duration">
          {run.status === 'interrupted' && run.durationMs === null && duration !== null ? 'at least ' : ''}
          {formatDuration(duration)}
        </dd>
      </div>
      <div>
        <dt>Retries</dt>
        <dd data-testid="run-retries">{runRetries(run.retries, detail.units)}</dd>
      </div>
      {retry?.maxAttempts ? (
        <div>
          <dt>Retry policy</dt>
          <dd data-testid="retry-policy">
            {retry.maxAttempts} attempts, base {formatDuration(retry.baseDelayMs ?? 0)}
          </dd>
        </div>
      ) : null}
      {run.resumedFrom ? (
        <div>
          <dt>Resumed from</dt>
          <dd>
            <RunLink runId={run.resumedFrom} />
          </dd>
        </div>
      ) : null}
      {detail.resumedBy.length ? (
        <div>
          <dt>Resumed by</dt>
          <dd>
            {detail.resumedBy.map((id) => (
              <RunLink key={id} runId={id} />
            ))}
          </dd>
        </div>
      ) : null}
    </dl>
  )
}
