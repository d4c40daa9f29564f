import { createColumnHelper, type RowData } from '@tanstack/react-table'
import type { StoredLogRecord } from '../../../src-shared/contract'
import { formatDateTime, shortId } from '../../lib/format'

declare module '@tanstack/react-table' {
  interface TableMeta<TData extends RowData> {
    /** Opens a record's detail (metadata); the message is its button. */
    onSelect?: (id: number, row?: TData) => void
  }
}

const column = createColumnHelper<StoredLogRecord>()

/** Columns at module scope (stable identity); filtering, sorting and paging happen on the server. */
export const LOG_COLUMNS = [
  column.accessor('timestamp', { header: 'Time', cell: (c) => formatDateTime(c.getValue()) }),
  column.accessor('level', {
    header: 'Level',
    cell: (c) => <span className={`level level-${c.getValue().toLowerCase()}`}>{c.getValue()}</span>,
  }),
  column.accessor('pipeline_name', { header: 'Pipeline', cell: (c) => c.getValue() ?? '—' }),
  column.accessor('run_id', {
    header: 'Run',
    cell: (c) => (
      <span className="mono" title={c.getValue() ?? undefined}>
        {shortId(c.getValue())}
      </span>
    ),
  }),
  column.accessor('message', {
    header: 'Message',
    cell: (c) => (
      <button
        type="button"
        className="log-message"
        title="Show this record's details"
        onClick={() => c.table.options.meta?.onSelect?.(c.row.original.id)}
      >
        {c.getValue()}
      </button>
    ),
  }),
]

/** Shared by the header and every row so columns line up in the grid-laid-out (virtualized) table. */
export const LOG_GRID_TEMPLATE = '11.5rem 6rem 13rem 6rem minmax(0, 1fr)'
