import type { ReactNode } from 'react'

/** A column heading: its text, and whether it holds numbers (right-aligned like its cells). */
export type Column = string | { label: ReactNode; num: true }

/** The header row of a table: one column heading per entry. */
export function TableHead({ columns }: { columns: Column[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column, i) =>
          typeof column === 'string' ? (
            <th key={column} scope="col">
              {column}
            </th>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed for a table
            <th key={i} scope="col" className="num">
              {column.label}
            </th>
          ),
        )}
      </tr>
    </thead>
  )
}
