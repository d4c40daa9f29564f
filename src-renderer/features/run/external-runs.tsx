import { runProgress } from '../../../src-shared/ops-states'
import type { RunRecord } from '../../../src-shared/pipeline'
import { progressFromRecord, unitCounts } from '../../../src-shared/run-progress'
import { ProgressBar } from '../../components/feedback'
import { formatElapsed, shortId } from '../../lib/format'
import { useNow } from '../../lib/use-now'

function ExternalRun({ record, now }: { record: RunRecord; now: number }) {
  const progress = progressFromRecord(record)
  const counts = unitCounts(progress)
  const { done, total, tone } = runProgress(progress)
  const where = record.trigger === 'cli' ? 'the CLI' : 'another console'
  return (
    <li className="external-run" data-run-id={record.runId}>
      <div>
        <strong>
          {record.pipeline === 'monthly' ? 'Monthly' : 'Reliable'} run from {where}
        </strong>
        <span className="muted">
          {' '}
          on {record.host ?? 'an unknown host'}
          {record.pid ? ` (pid ${record.pid})` : ''} · run {shortId(record.runId)} · elapsed{' '}
          {formatElapsed(record.startedAt, now)}
        </span>
      </div>
      <div className="run-progress-line">
        <ProgressBar fraction={total ? done / total : null} tone={tone} label="progress" />
        <span>
          {counts.completed} of {total} done{counts.failed ? `, ${counts.failed} failed` : ''}
        </span>
      </div>
    </li>
  )
}

/** Runs recorded as running by someone else (the CLI, another console), live from the database. */
export function ExternalRuns({ records, ownRunIds }: { records: RunRecord[]; ownRunIds: string[] }) {
  const others = records.filter((r) => !ownRunIds.includes(r.runId))
  const now = useNow(others.length > 0)
  if (others.length === 0) return null
  return (
    <div className="panel external" aria-live="polite">
      <h2>Running elsewhere</h2>
      <ul className="external-list">
        {others.map((record) => (
          <ExternalRun key={record.runId} record={record} now={now} />
        ))}
      </ul>
    </div>
  )
}
