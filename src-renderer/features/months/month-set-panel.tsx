import type { RunOptions } from '../../../src-shared/contract'
import { InlineError } from '../../components/feedback'
import { setScope } from '../../stores/month-set'
import { clearMonthSet, useMonths } from '../../stores/months-store'
import { askReset } from '../../stores/reset-store'
import { planRun, selectRunActive, startRun, useRuns } from '../../stores/runs-store'
import { DryRunResult } from '../run/dry-run-result'
import { ProcessButtons } from './process-buttons'

/** Several months picked in the grid: one dry-run, run, forced run or reset for exactly that set. */
export function MonthSetPanel() {
  const picked = useMonths((s) => s.set.picked)
  const runActive = useRuns(selectRunActive)
  const busy = useRuns((s) => s.pending !== null)
  const error = useRuns((s) => s.error)
  const dryRun = useRuns((s) => s.dryRun)
  const keys = [...picked].sort()
  const scope = setScope(picked)
  const options = (force: boolean): RunOptions => ({ pipeline: 'monthly', scope, force })
  // The preview is shown only while it is for this very set.
  const preview =
    dryRun &&
    dryRun.options.scope.kind === 'months' &&
    JSON.stringify(dryRun.options.scope) === JSON.stringify(scope)
      ? dryRun
      : null
  const disabled = busy || runActive
  return (
    <div className="month-set" data-testid="month-set" data-months={keys.join(',')}>
      <header className="panel-header">
        <h2>{keys.length} months picked</h2>
        <button type="button" className="link" onClick={clearMonthSet}>
          Clear
        </button>
      </header>
      <p className="muted mono small">{keys.join(', ')}</p>
      <div className="actions">
        <button
          type="button"
          className="button"
          disabled={disabled}
          onClick={() => void planRun(options(false))}
        >
          Dry run
        </button>
        <ProcessButtons disabled={disabled} onProcess={(force) => void startRun(options(force))} />
        <button
          type="button"
          className="button button-danger-outline"
          disabled={disabled}
          onClick={() => void askReset(scope)}
        >
          Reset these months…
        </button>
      </div>
      {runActive ? (
        <p className="field-hint">A run is active; these actions are available when it finishes.</p>
      ) : null}
      <InlineError message={error} />
      {preview ? (
        <DryRunResult
          options={preview.options}
          result={preview.result}
          canRun={!disabled && (preview.result.monthly?.items.length ?? 0) > 0}
          onRun={() => void startRun(preview.options)}
        />
      ) : null}
      <p className="field-hint">
        Shift-click or drag to pick a span, ctrl-click (⌘ on a Mac) to add or remove one.
      </p>
    </div>
  )
}
