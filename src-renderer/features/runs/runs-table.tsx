import { runDuration } from '../../../src-shared/ops-states'
import type { RunRecord } from '../../../src-shared/pipeline'
import { RunStatusBadge } from '../../components/status'
import { TableHead } from '../../components/table-head'
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
      <TableHead
        columns={[
          'Run',
          'Status',
          'Pipeline',
          'Trigger',
          `Started (${zoneLabel()})`,
          { label: 'Duration', num: true },
          'Months / stages',
          { label: 'Retries', num: true },
        ]}
      />
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
