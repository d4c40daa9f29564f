import { Fragment } from 'react'
import type { DryRun, RunOptions } from '../../../src-shared/contract'
import { describeScope } from '../../../src-shared/scope'
import { plural } from '../../lib/format'
import { PlanTable } from './plan-table'

const SKIP: Record<string, string> = {
  up_to_date: 'up to date',
  no_data: 'no silver rows',
  running_elsewhere: 'running elsewhere',
}

/** The plan and exact gold diff of a dry-run; nothing was written. */
export function DryRunResult({
  options,
  result,
  onRun,
  canRun,
}: {
  options: RunOptions
  result: DryRun
  onRun: () => void
  canRun: boolean
}) {
  const plan = result.monthly
  return (
    <div className="panel dry-run" data-testid="dry-run">
      <header className="panel-header">
        <div>
          <h2>Dry run: nothing was written</h2>
          {/* A month key is never broken at its hyphen ("2011-" / "04"): the scope wraps between its parts. */}
          <p className="muted dry-run-scope">
            {options.pipeline === 'reliable'
              ? 'reliable pipeline'
              : describeScope(options.scope)
                  .split(', ')
                  .map((part, i) => (
                    <Fragment key={part}>
                      {i > 0 ? ', ' : ''}
                      <span>{part}</span>
                    </Fragment>
                  ))}
            {options.force ? ', forced' : ''}
          </p>
        </div>
        <button type="button" className="button button-primary" onClick={onRun} disabled={!canRun}>
          Run this plan
        </button>
      </header>
      {plan ? (
        <>
          <p data-testid="plan-summary">
            {plan.items.length
              ? `${plural(plan.items.length, 'month')} would be processed`
              : plan.skipped.length
                ? 'No month needs processing'
                : 'No month needs processing: every month in scope is up to date'}
            {plan.skipped.length ? `; ${plural(plan.skipped.length, 'month')} skipped` : ''}.
          </p>
          {plan.items.length > 0 && <PlanTable items={plan.items} />}
          {plan.skipped.length > 0 && (
            <details className="skipped">
              <summary>Skipped months ({plan.skipped.length})</summary>
              <ul>
                {plan.skipped.map((s) => (
                  <li key={s.monthKey}>
                    <strong>{s.monthKey}</strong>: {SKIP[s.reason] ?? s.reason}
                    {s.detail ? ` — ${s.detail}` : ''}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      ) : null}
      {result.reliable ? (
        <p>
          The reliable pipeline would rebuild {result.reliable.tables.join(' and ')} from all of silver (it
          has no per-month plan).
        </p>
      ) : null}
    </div>
  )
}
