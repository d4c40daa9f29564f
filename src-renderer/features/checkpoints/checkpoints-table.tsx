import type { CheckpointRecord } from '../../../src-shared/pipeline'
import { formatDateTime, formatDuration, shortId, zoneLabel } from '../../lib/format'
import { showRun } from '../../stores/view-store'

const STATUS_CLASS: Record<string, string> = {
  completed: 'status-completed',
  failed: 'status-failed',
  in_progress: 'status-in_progress',
  pending: 'status-pending',
}

/** ops.pipeline_checkpoint rows, newest first; metadata opens in place, the run opens its detail. */
export function CheckpointsTable({ records }: { records: CheckpointRecord[] }) {
  return (
    <table className="table checkpoints-table" aria-label="Checkpoints, newest first">
      <thead>
        <tr>
          <th scope="col">Run</th>
          <th scope="col">Stage</th>
          <th scope="col">Key</th>
          <th scope="col">Status</th>
          <th scope="col">Started ({zoneLabel()})</th>
          <th scope="col" className="num">
            Duration
          </th>
          <th scope="col">Value</th>
          <th scope="col">Metadata</th>
        </tr>
      </thead>
      <tbody>
        {records.map((c) => (
          <tr
            key={c.id}
            data-checkpoint={c.id}
            data-status={c.status}
            className={c.status === 'failed' ? 'row-failed' : undefined}
          >
            <td>
              <button
                type="button"
                className="link mono"
                onClick={() => showRun(c.runId)}
                title={`${c.runId} · ${c.pipelineName}`}
              >
                {shortId(c.runId)}
              </button>
            </td>
            <td title={c.pipelineName}>{c.stage}</td>
            <td className="mono small">{c.checkpointKey ?? '—'}</td>
            <td>
              <span className={`badge ${STATUS_CLASS[c.status] ?? 'status-no_data'}`}>{c.status}</span>
            </td>
            <td>{formatDateTime(c.startTime)}</td>
            <td className="num">{formatDuration(c.durationMs)}</td>
            <td className="mono small">{c.checkpointValue ?? '—'}</td>
            <td className="metadata-cell">
              {c.metadata && Object.keys(c.metadata).length ? (
                <details>
                  <summary>{String(c.metadata.error ?? Object.keys(c.metadata).join(', '))}</summary>
                  <pre className="mono">{JSON.stringify(c.metadata, null, 2)}</pre>
                </details>
              ) : (
                '—'
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
