import { useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { ConfirmDialog } from '../../components/confirm-dialog'
import { InlineError } from '../../components/feedback'
import { TextField } from '../../components/field'
import { formatCount, formatDateTime, plural } from '../../lib/format'
import { selectRunActive, useRuns } from '../../stores/runs-store'
import { applyRetention, cancelRetention, previewRetention, useSettings } from '../../stores/settings-store'

/** Log retention: preview how many log records and checkpoints are older than N days, confirm, delete. */
export function RetentionForm({ days: saved }: { days: number }) {
  const { busy, errors, preview, deleted } = useSettings(
    useShallow(({ busy, errors, preview, deleted }) => ({ busy, errors, preview, deleted })),
  )
  const runActive = useRuns(selectRunActive)
  const [days, setDays] = useState(String(saved))
  const n = Number(days)
  const invalid =
    !Number.isInteger(n) || n < 1 || n > 3650 ? 'days must be a whole number from 1 to 3650' : null
  return (
    <form
      className="settings-form"
      aria-label="Log retention"
      onSubmit={(e) => {
        e.preventDefault()
        if (!invalid) void previewRetention(n)
      }}
    >
      <div className="field-row">
        <TextField
          id="retention-days"
          label="Delete records older than (days)"
          numeric
          value={days}
          onChange={setDays}
        />
      </div>
      <p className="field-hint">
        Deletes from ops.pipeline_logs and ops.pipeline_checkpoint; runs, months and gold are kept.
      </p>
      <div className="actions">
        <button type="submit" className="button" disabled={busy !== null || invalid !== null}>
          {busy === 'preview' ? 'Counting…' : 'Preview'}
        </button>
      </div>
      {deleted ? (
        <p className="test-ok" role="status">
          Deleted {plural(deleted.logs, 'log record')} and {plural(deleted.checkpoints, 'checkpoint')}.
        </p>
      ) : null}
      <InlineError message={invalid ?? errors.retention} />
      <ConfirmDialog
        open={preview !== null}
        title="Delete old logs and checkpoints?"
        confirmLabel={
          (preview?.logs ?? 0) + (preview?.checkpoints ?? 0) === 0
            ? 'Nothing to delete'
            : `Delete ${formatCount((preview?.logs ?? 0) + (preview?.checkpoints ?? 0))} rows`
        }
        busy={busy === 'retention'}
        canConfirm={preview !== null && preview.logs + preview.checkpoints > 0 && !runActive}
        onConfirm={() => void applyRetention(preview!.days)}
        onCancel={cancelRetention}
      >
        {preview ? (
          <>
            <p data-testid="retention-preview">
              {plural(preview.logs, 'log record')} and {plural(preview.checkpoints, 'checkpoint')}{' '}
              {preview.logs + preview.checkpoints === 1 ? 'is' : 'are'} older than {preview.days} days (before{' '}
              {formatDateTime(preview.cutoff)}).
            </p>
            {preview.logs + preview.checkpoints === 0 ? <p className="muted">Nothing to delete.</p> : null}
            {runActive ? <p className="inline-error">A run is active: delete once it has finished.</p> : null}
            <InlineError message={errors.retention} />
          </>
        ) : null}
      </ConfirmDialog>
    </form>
  )
}
