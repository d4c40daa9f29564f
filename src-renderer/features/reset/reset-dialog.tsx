import { useShallow } from 'zustand/react/shallow'
import { describeScope } from '../../../src-shared/scope'
import { ConfirmDialog } from '../../components/confirm-dialog'
import { InlineError } from '../../components/feedback'
import { plural } from '../../lib/format'
import { closeReset, confirmReset, useReset } from '../../stores/reset-store'

/** The one reset confirmation: it states exactly which months lose their processing state. */
export function ResetDialog() {
  const { scope, preview, busy, error } = useReset(
    useShallow(({ scope, preview, busy, error }) => ({ scope, preview, busy, error })),
  )
  const months = preview?.months ?? []
  return (
    <ConfirmDialog
      open={scope !== null}
      title={scope ? `Reset ${describeScope(scope)}?` : 'Reset'}
      confirmLabel={months.length ? `Reset ${plural(months.length, 'month')}` : 'Reset'}
      busy={busy}
      canConfirm={months.length > 0}
      onConfirm={() => void confirmReset()}
      onCancel={closeReset}
    >
      {!preview && !error ? <p>Checking what would be cleared…</p> : null}
      {preview && months.length === 0 ? (
        <p>Nothing to clear: no month in this scope has been processed.</p>
      ) : null}
      {months.length > 0 ? (
        <>
          <p data-testid="reset-summary">
            This clears the processing state of {plural(months.length, 'month')}:{' '}
            <strong>{months.join(', ')}</strong>.
          </p>
          <p className="muted">
            Gold data is not touched. The next run treats these months as never processed and computes them
            again.
          </p>
        </>
      ) : null}
      <InlineError message={error} />
    </ConfirmDialog>
  )
}
