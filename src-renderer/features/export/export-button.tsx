import type { ExportFilter, ExportTable } from '../../../src-shared/export'
import { openExport } from '../../stores/export-store'

/** Opens the export dialog for a view's table and its current filter. */
export function ExportButton({
  table,
  filter,
  what,
  blocked = null,
}: {
  table: ExportTable
  filter: ExportFilter
  /** "logs", "this run's checkpoints"… for the dialog's title. */
  what: string
  /** Why this view's filter cannot be exported as is, if so. */
  blocked?: string | null
}) {
  return (
    <button
      type="button"
      className="button button-small"
      disabled={blocked !== null}
      title={blocked ?? `Export ${what} to a CSV file`}
      onClick={() => void openExport(table, filter, what)}
    >
      Export CSV…
    </button>
  )
}
