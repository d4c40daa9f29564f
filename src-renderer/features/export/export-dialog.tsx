import { useShallow } from 'zustand/react/shallow'
import { Modal } from '../../components/confirm-dialog'
import { InlineError, ProgressBar } from '../../components/feedback'
import { formatBytes, formatCount, plural } from '../../lib/format'
import {
  cancelExport,
  closeExport,
  isExporting,
  setExportOptions,
  startExport,
  useExport,
} from '../../stores/export-store'
import { useSettings } from '../../stores/settings-store'
import { ExportProgressLine } from './export-progress'

/** Export to CSV: the view's filter or everything, BOM or not; then progress with cancel. */
export function ExportDialog() {
  const state = useExport(
    useShallow(({ request, scope, bom, counts, starting, error, filterError, started, progress }) => ({
      request,
      scope,
      bom,
      counts,
      starting,
      error,
      filterError,
      started,
      progress,
    })),
  )
  const saveDialog = useSettings((s) => s.settings?.capabilities.saveDialog ?? false)
  const { request, scope, bom, counts, starting, error, filterError, started, progress } = state
  const open = request !== null
  const busy = isExporting(state)
  const filtered = request !== null && Object.keys(request.filter).length > 0
  const finished = progress !== null && !['waiting', 'running'].includes(progress.state)
  return (
    <Modal
      open={open}
      title={`Export ${request?.what ?? ''} to CSV`}
      className="export-dialog"
      testId="export-dialog"
      onCancel={closeExport}
      actions={
        <>
          {busy ? (
            <button
              type="button"
              className="button button-danger-outline"
              onClick={() => void cancelExport()}
            >
              Cancel export
            </button>
          ) : (
            <button type="button" className="button" onClick={closeExport}>
              {finished ? 'Close' : 'Cancel'}
            </button>
          )}
          {!busy ? (
            <button
              type="button"
              className="button button-primary"
              disabled={starting || counts.all === null || error !== null}
              onClick={() => void startExport()}
            >
              {starting ? 'Starting…' : finished ? 'Export again' : 'Export'}
            </button>
          ) : null}
        </>
      }
    >
      <fieldset disabled={busy || starting}>
        <legend>Rows</legend>
        <label className="radio">
          <input
            type="radio"
            name="export-scope"
            checked={scope === 'filtered'}
            disabled={!filtered || filterError !== null}
            onChange={() => setExportOptions({ scope: 'filtered' })}
          />
          {request?.table === 'explain'
            ? 'Every row of this level, in the order shown'
            : 'Exactly the current filter'}
          {!filtered
            ? ' (no filter set)'
            : filterError
              ? ' (not available for this filter)'
              : ` (${counts.filtered === null ? 'counting…' : plural(counts.filtered, 'row')})`}
        </label>
        <label className="radio" hidden={request?.table === 'explain'}>
          <input
            type="radio"
            name="export-scope"
            checked={scope === 'all'}
            onChange={() => setExportOptions({ scope: 'all' })}
          />
          Everything in the table{filtered ? ', not only this filter' : ''} (
          {counts.all === null ? 'counting…' : plural(counts.all, 'row')})
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={bom}
            onChange={(e) => setExportOptions({ bom: e.target.checked })}
          />
          Start with a UTF-8 byte order mark (so Excel shows accents and symbols right)
        </label>
      </fieldset>
      <p className="muted small">
        RFC 4180 CSV in UTF-8, streamed from the database; JSON metadata in one column; cells starting with =
        + − @ are prefixed with ' so spreadsheets show them as text.{' '}
        {saveDialog ? 'You choose where to save it.' : 'Your browser downloads it.'}
      </p>
      {started && progress ? <ExportProgressLine started={started} progress={progress} /> : null}
      {started && !progress ? <ProgressBar fraction={null} label="Starting the export" /> : null}
      {started && finished && progress.state === 'done' ? (
        <p role="status" className="export-done">
          Exported {formatCount(progress.rows)} rows ({formatBytes(progress.bytes)})
          {progress.path ? ` to ${progress.path}` : ` as ${started.filename}`}.
        </p>
      ) : null}
      <InlineError
        message={error ?? filterError ?? (progress?.state === 'failed' ? progress.message : null)}
      />
    </Modal>
  )
}
