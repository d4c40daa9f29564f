import type { StoredLogRecord } from '../../../src-shared/contract'

/** A record's full message, where it was written, and its metadata as formatted JSON. */
export function LogDetails({ record }: { record: StoredLogRecord }) {
  const where = record.module
    ? `${record.module}${record.function ? `.${record.function}` : ''}${record.line ? `:${record.line}` : ''}`
    : null
  return (
    <div className="log-expanded">
      <p className="log-detail-message">{record.message}</p>
      <p className="muted small">
        #{record.id} · logger {record.logger || '—'}
        {where ? ` · ${where}` : ''}
        {record.run_id ? ` · run ${record.run_id}` : ''}
      </p>
      <pre className="mono">{JSON.stringify(record.metadata, null, 2)}</pre>
    </div>
  )
}
