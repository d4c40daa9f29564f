import { flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef } from 'react'
import type { StoredLogRecord } from '../../../src-shared/contract'
import { LOG_COLUMNS, LOG_GRID_TEMPLATE } from './columns'
import { LogDetails } from './log-details'

const ROW_HEIGHT = 34

/**
 * The log table: TanStack Table for the model, TanStack Virtual for the body, so thousands of loaded records
 * cost only the rows on screen. Rows are CSS grid lines of a real <table>; an expanded row grows to show its
 * metadata (measured). Reaching the end asks for the next (older) page; following keeps the newest in view.
 */
export function LogsTable({
  records,
  hasMore,
  loading,
  expanded,
  follow,
  onToggle,
  onEnd,
}: {
  records: StoredLogRecord[]
  hasMore: boolean
  loading: boolean
  expanded: ReadonlySet<number>
  follow: boolean
  onToggle: (id: number) => void
  onEnd: () => void
}) {
  const table = useReactTable({
    data: records,
    columns: LOG_COLUMNS,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => String(row.id),
    meta: { onToggle, expanded },
    manualPagination: true,
    manualFiltering: true,
    manualSorting: true,
  })
  const rows = table.getRowModel().rows
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (expanded.has(records[i]?.id ?? -1) ? 220 : ROW_HEIGHT),
    getItemKey: (i) => records[i]?.id ?? i,
    overscan: 12,
  })
  const items = virtualizer.getVirtualItems()
  const lastIndex = items[items.length - 1]?.index ?? 0
  const newest = records[0]?.id

  useEffect(() => {
    if (hasMore && !loading && rows.length > 0 && lastIndex >= rows.length - 10) onEnd()
  }, [hasMore, loading, lastIndex, rows.length, onEnd])

  useEffect(() => {
    if (follow && newest !== undefined && scrollRef.current) scrollRef.current.scrollTop = 0
  }, [follow, newest])

  return (
    <div ref={scrollRef} className="log-scroll" data-testid="log-scroll">
      <table className="log-table" aria-label="Pipeline logs, newest first">
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr
              key={group.id}
              className="log-row log-head"
              style={{ gridTemplateColumns: LOG_GRID_TEMPLATE }}
            >
              {group.headers.map((header) => (
                <th key={header.id} scope="col" className="log-cell">
                  {flexRender(header.column.columnDef.header, header.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index]!
            const record = row.original
            const open = expanded.has(record.id)
            return (
              <tr
                key={row.id}
                ref={virtualizer.measureElement}
                data-index={item.index}
                className={`log-row ${open ? 'expanded' : ''} row-${record.level.toLowerCase()}`}
                data-log-id={record.id}
                style={{
                  gridTemplateColumns: LOG_GRID_TEMPLATE,
                  minHeight: ROW_HEIGHT,
                  transform: `translateY(${item.start}px)`,
                }}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className="log-cell">
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
                {open ? (
                  <td className="log-cell log-expanded-cell">
                    <LogDetails record={record} />
                  </td>
                ) : null}
              </tr>
            )
          })}
        </tbody>
      </table>
      {loading ? <p className="log-more muted">Loading older records…</p> : null}
    </div>
  )
}
