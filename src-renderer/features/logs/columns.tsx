import { createColumnHelper, type RowData } from '@tanstack/react-table'
import type { StoredLogRecord } from '../../../src-shared/contract'
import { formatDateTime, zoneLabel } from '../../lib/format'
import { RunLink } from '../runs/run-facts'

declare module '@tanstack/react-table' {
  interface TableMeta<TData extends RowData> {
    /** Expands or collapses a record's JSON metadata. */
    onToggle?: (id: number, row?: TData) => void
    expanded?: ReadonlySet<number>
  }
}

const column = createColumnHelper<StoredLogRecord>()

/** Metadata as one short line after the message (search matches it too). */
export function metadataPreview(metadata: Record<string, unknown>): string {
  const keys = Object.keys(metadata)
  return keys.length === 0 ? '' : JSON.stringify(metadata)
}

/** Columns at module scope (stable identity); filtering, sorting and paging happen on the server. */
export const LOG_COLUMNS = [
  column.display({
    id: 'expand',
    header: () => <span className="sr-only">Details</span>,
    cell: (c) => {
      const open = c.table.options.meta?.expanded?.has(c.row.original.id) ?? false
      return (
        <button
          type="button"
          className="expander"
          aria-expanded={open}
          aria-label={open ? 'Hide details' : 'Show details and metadata'}
          onClick={() => c.table.options.meta?.onToggle?.(c.row.original.id)}
        >
          <span aria-hidden="true">{open ? '▾' : '▸'}</span>
        </button>
      )
    },
  }),
  column.accessor('timestamp', {
    header: () => `Time (${zoneLabel()})`,
    cell: (c) => formatDateTime(c.getValue()),
  }),
  column.accessor('level', {
    header: 'Level',
    cell: (c) => <span className={`level level-${c.getValue().toLowerCase()}`}>{c.getValue()}</span>,
  }),
  column.accessor('pipeline_name', { header: 'Pipeline', cell: (c) => c.getValue() ?? '—' }),
  column.accessor('run_id', {
    header: 'Run',
    cell: (c) => {
      const runId = c.getValue()
      return runId ? <RunLink runId={runId} /> : '—'
    },
  }),
  column.accessor('message', {
    header: 'Message',
    cell: (c) => {
      const preview = metadataPreview(c.row.original.metadata)
      return (
        <button
          type="button"
          className="log-message"
          title="Show this record's details and metadata"
          onClick={() => c.table.options.meta?.onToggle?.(c.row.original.id)}
        >
          {c.getValue()}
          {preview ? <span className="log-meta-preview"> {preview}</span> : null}
        </button>
      )
    },
  }),
]

/** Shared by the header and every row so columns line up in the grid-laid-out (virtualized) table. */
export const LOG_GRID_TEMPLATE = '1.75rem 11.5rem 5.5rem 12rem 5.5rem minmax(0, 1fr)'
