import type { ExportProgress, ExportStarted } from '../../../src-shared/export'
import { ProgressBar } from '../../components/feedback'
import { formatBytes, formatCount } from '../../lib/format'

/** Rows written of the total the filter matched, and bytes; the state once it ends. */
export function ExportProgressLine({
  started,
  progress,
}: {
  started: ExportStarted
  progress: ExportProgress
}) {
  const total = Math.max(progress.totalRows, progress.rows)
  const fraction = progress.state === 'done' ? 1 : total > 0 ? progress.rows / total : null
  const label = `${formatCount(progress.rows)} of ${formatCount(total)} rows, ${formatBytes(progress.bytes)}`
  return (
    <div className="export-progress" data-state={progress.state} data-testid="export-progress">
      {progress.state === 'running' || progress.state === 'waiting' ? (
        <>
          <ProgressBar fraction={fraction} label={`Exporting ${started.filename}`} />
          <p className="muted small" aria-live="polite">
            {progress.state === 'waiting' ? 'Waiting for the download to start…' : label}
          </p>
        </>
      ) : progress.state === 'cancelled' ? (
        <p role="status">
          Export cancelled{progress.rows ? ` after ${formatCount(progress.rows)} rows` : ''}.
        </p>
      ) : null}
    </div>
  )
}
