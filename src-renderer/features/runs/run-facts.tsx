import type { RunDetail } from '../../../src-shared/history'
import { formatDateTime, formatDuration, shortId } from '../../lib/format'
import { showRun } from '../../stores/view-store'

export function RunLink({ runId }: { runId: string }) {
  return (
    <button type="button" className="link mono" onClick={() => showRun(runId)}>
      {shortId(runId)}
    </button>
  )
}

/** Who ran it, when, how long, with which retry policy, and what it resumed or was resumed by. */
export function RunFacts({ detail }: { detail: RunDetail }) {
  const { run } = detail
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
        <dt>Started</dt>
        <dd>{formatDateTime(run.startedAt)}</dd>
      </div>
      <div>
        <dt>Duration</dt>
        <dd>{formatDuration(run.durationMs)}</dd>
      </div>
      <div>
        <dt>Retries</dt>
        <dd>{run.retries}</dd>
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
