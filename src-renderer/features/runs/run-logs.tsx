import type { StoredLogRecord } from '../../../src-shared/contract'
import { formatTime, zoneLabel } from '../../lib/format'

/** The run's log records in order, as the seed's "Trace Pipeline Execution" lists them next to the stages. */
export function RunLogs({
  records,
  more,
  onOpenAll,
}: {
  records: StoredLogRecord[]
  more: boolean
  onOpenAll: () => void
}) {
  return (
    <section className="panel run-logs" aria-labelledby="run-logs-title">
      <header className="panel-header">
        <div>
          <h2 id="run-logs-title">Logs of this run</h2>
          <p className="muted" data-testid="run-logs-zone">
            Times in {zoneLabel()}
          </p>
        </div>
        <button type="button" className="button button-small" onClick={onOpenAll}>
          Open in Logs
        </button>
      </header>
      {records.length === 0 ? (
        <p className="muted">This run wrote no log records (or retention has deleted them).</p>
      ) : (
        <ol className="trace">
          {more ? <li className="muted">Older records: open in Logs to page through all of them.</li> : null}
          {records.map((r) => (
            <li key={r.id} className={`trace-line row-${r.level.toLowerCase()}`} data-log-id={r.id}>
              <span className="mono muted">{formatTime(r.timestamp)}</span>
              <span className={`level level-${r.level.toLowerCase()}`}>{r.level}</span>
              <span className="trace-message">{r.message}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
