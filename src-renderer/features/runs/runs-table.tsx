import { runDuration } from '../../../src-shared/ops-states'
import type { RunRecord } from '../../../src-shared/pipeline'
import { RunStatusBadge } from '../../components/status'
import { formatDateTime, formatDuration, shortId, zoneLabel } from '../../lib/format'
import { showRun } from '../../stores/view-store'

function units(run: RunRecord): string {
  const noun = run.pipeline === 'monthly' ? 'months' : 'stages'
  const parts = [`${run.done.length}/${run.planned.length} ${noun}`]
  if (run.skipped.length) parts.push(`${run.skipped.length} skipped`)
  if (run.failed.length) parts.push(`${run.failed.length} failed`)
  return parts.join(', ')
}

/** Run history, newest first; a row opens the run's detail (its id is the keyboard-reachable link). */
export function RunsTable({ runs }: { runs: RunRecord[] }) {
  return (
    <table className="table runs-table" aria-label="Runs, newest first">
      <thead>
        <tr>
          <th scope="col">Run</th>
          <th scope="col">Status</th>
          <th scope="col">Pipeline</th>
          <th scope="col">Trigger</th>
          <th scope="col">Started ({zoneLabel()})</th>
          <th scope="col" className="num">
            Duration
          </th>
          <th scope="col">Months / stages</th>
          <th scope="col" className="num">
            Retries
          </th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr
            key={run.runId}
            data-run={run.runId}
            data-status={run.status}
            className={`clickable ${run.status === 'failed' ? 'row-failed' : ''}`}
            onClick={() => showRun(run.runId)}
          >
            <td>
              <button type="button" className="link mono" onClick={() => showRun(run.runId)}>
                {shortId(run.runId)}
              </button>
              {run.resumedFrom ? <span className="muted small"> ↻ {shortId(run.resumedFrom)}</span> : null}
            </td>
            <td>
              <RunStatusBadge status={run.status} />
            </td>
            <td>{run.pipelineName}</td>
            <td>{run.trigger === 'cli' ? 'CLI' : 'Console'}</td>
            <td>{formatDateTime(run.startedAt)}</td>
            <td className="num">{formatDuration(runDuration(run))}</td>
            <td className={run.failed.length ? 'detail-problem' : undefined}>{units(run)}</td>
            <td className="num">{run.retries}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
