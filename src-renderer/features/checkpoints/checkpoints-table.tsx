import {
  checkpointOutcome,
  HISTORY_UNIT_STATES,
  type HistoryUnitState,
  type StateInfo,
} from '../../../src-shared/ops-states'
import type { CheckpointRecord } from '../../../src-shared/pipeline'
import { api } from '../../api/instance'
import { CutValue } from '../../components/cut-value'
import { TONE_CLASS } from '../../components/status'
import { TableHead } from '../../components/table-head'
import { formatDateTime, formatDuration, shortId, zoneLabel } from '../../lib/format'
import { hrefOf, showRun } from '../../stores/view-store'

/** A checkpoint's status as every view reads it (a cancelled stage is stored failed, and is not a failure). */
function CheckpointBadge({ c }: { c: CheckpointRecord }) {
  const outcome = checkpointOutcome(c.status, c.metadata)
  const info: StateInfo | undefined =
    outcome in HISTORY_UNIT_STATES ? HISTORY_UNIT_STATES[outcome as HistoryUnitState] : undefined
  return (
    <span className={`badge ${info ? TONE_CLASS[info.tone] : 'status-no_data'}`} data-outcome={outcome}>
      {info?.label ?? c.status}
    </span>
  )
}

/** ops.pipeline_checkpoint rows, newest first; metadata opens in place, the run opens its detail. */
export function CheckpointsTable({ records }: { records: CheckpointRecord[] }) {
  return (
    <table className="table checkpoints-table" aria-label="Checkpoints, newest first">
      <TableHead
        columns={[
          'Run',
          'Stage',
          'Key',
          'Status',
          `Started (${zoneLabel()})`,
          { label: 'Duration', num: true },
          'Value',
          'Metadata',
        ]}
      />
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
            <td title={c.pipelineName}>
              <a className="link" href={hrefOf({ view: 'checkpoints', params: { stage: c.stage } })}>
                {c.stage}
              </a>
            </td>
            <td className="mono small">{c.checkpointKey ?? '—'}</td>
            <td>
              <CheckpointBadge c={c} />
            </td>
            <td>{formatDateTime(c.startTime)}</td>
            <td className="num">{formatDuration(c.durationMs)}</td>
            <td className="mono small">{c.checkpointValue ?? '—'}</td>
            <td className="metadata-cell">
              {c.metadata && Object.keys(c.metadata).length ? (
                <details>
                  <summary>
                    {c.metadataBytes !== undefined
                      ? 'cut to a preview'
                      : String(c.metadata.error ?? Object.keys(c.metadata).join(', '))}
                  </summary>
                  <CutValue
                    value={c.metadata}
                    bytes={c.metadataBytes}
                    render={(m, cut) => (cut ? String(m?.preview) : JSON.stringify(m, null, 2))}
                    fetchAll={async () => (await api().request('checkpoints:record', { id: c.id })).metadata}
                  />
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
