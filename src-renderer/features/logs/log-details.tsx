import type { StoredLogRecord } from '../../../src-shared/contract'
import { api } from '../../api/instance'
import { CutValue } from '../../components/cut-value'

/** A record's message, where it was written, and its metadata as formatted JSON; "Show all" where a page cut them. */
export function LogDetails({ record }: { record: StoredLogRecord }) {
  const where = record.module
    ? `${record.module}${record.function ? `.${record.function}` : ''}${record.line ? `:${record.line}` : ''}`
    : null
  return (
    <div className="log-expanded">
      {record.messageBytes === undefined ? (
        <p className="log-detail-message">{record.message}</p>
      ) : (
        <CutValue
          value={record.message}
          bytes={record.messageBytes}
          render={(m) => m}
          fetchAll={async () => (await api().request('logs:record', { id: record.id })).message}
        />
      )}
      <p className="muted small">
        #{record.id} · logger {record.logger || '—'}
        {where ? ` · ${where}` : ''}
        {record.run_id ? ` · run ${record.run_id}` : ''}
      </p>
      <CutValue
        value={record.metadata}
        bytes={record.metadataBytes}
        render={(m, cut) => (cut ? String(m.preview) : JSON.stringify(m, null, 2))}
        fetchAll={async () => (await api().request('logs:record', { id: record.id })).metadata}
      />
    </div>
  )
}
