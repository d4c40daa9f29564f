import { useState } from 'react'
import type { JobSnapshot } from '../../../src-shared/contract'
import { endedAs } from '../../../src-shared/ops-states'
import { EmptyState, InlineError } from '../../components/feedback'
import { pickMonth, selectSelectedMonth, useMonths } from '../../stores/months-store'
import { askReset } from '../../stores/reset-store'
import { selectRunActive, startRun, useRuns } from '../../stores/runs-store'
import { showMonth, showView } from '../../stores/view-store'
import { ExportButton } from '../export/export-button'
import { MonthDetail } from './month-detail'
import { MonthGrid, StatusLegend } from './month-grid'
import { MonthSetPanel } from './month-set-panel'

/** What became of the run this view started for a month: live while it runs, then its outcome (not "started"). */
export function startedMessage(
  started: { monthKey: string; jobId: string; force: boolean } | null,
  job: JobSnapshot | null,
  selected: string | undefined,
): string | null {
  if (!started || started.monthKey !== selected || job?.jobId !== started.jobId) return null
  const what = `${started.force ? 'Forced run' : 'Run'} of ${started.monthKey}`
  if (job.status === 'running') return `${what} started; its cell updates live.`
  if (job.status === 'completed') return `${what} completed.`
  return job.status === 'failed' ? `${what} failed: see the error above.` : `${what} ${endedAs(job.status)}.`
}

/** Months: the year × month grid, live, with the selected month's detail and actions. */
export function MonthsView() {
  const months = useMonths((s) => s.months)
  const loaded = useMonths((s) => s.loaded)
  const error = useMonths((s) => s.error)
  const selected = useMonths((s) => s.selected)
  const picked = useMonths((s) => s.set.picked)
  const month = useMonths(selectSelectedMonth)
  const runActive = useRuns(selectRunActive)
  const runError = useRuns((s) => s.error)
  const starting = useRuns((s) => s.pending === 'start')
  const job = useRuns((s) => s.job)
  const [started, setStarted] = useState<{ monthKey: string; jobId: string; force: boolean } | null>(null)
  const message = startedMessage(started, job, month?.monthKey)

  const process = async (force: boolean) => {
    if (!month) return
    setStarted(null)
    const ok = await startRun({
      pipeline: 'monthly',
      scope: { kind: 'month', year: month.year, month: month.month },
      force,
    })
    const jobId = useRuns.getState().job?.jobId
    if (ok && jobId) setStarted({ monthKey: month.monthKey, jobId, force })
  }

  return (
    <section className="view months-view" data-state={loaded ? 'ready' : 'loading'} aria-label="Months">
      <div className="months-layout">
        <div className="panel">
          <header className="panel-header">
            <h2>Months</h2>
            <ExportButton table="months" filter={{}} what="months (ops.processed_months)" />
          </header>
          <InlineError message={error} />
          {loaded && months.length === 0 && !error ? (
            <EmptyState title="No months yet">
              <p>
                Months appear once silver has data. Load data first (see{' '}
                <button type="button" className="link" onClick={() => showView('run')}>
                  Run
                </button>
                ), or build silver with <code>assay silver</code>.
              </p>
            </EmptyState>
          ) : (
            <>
              <StatusLegend months={months} />
              <MonthGrid
                months={months}
                selected={selected}
                picked={picked}
                onSelect={(key, mode) => {
                  setStarted(null)
                  pickMonth(key, mode)
                  if (mode === 'one') showMonth(key)
                }}
              />
            </>
          )}
        </div>
        <aside className="panel month-side" aria-label="Month detail">
          {picked.size > 1 ? (
            <MonthSetPanel />
          ) : month ? (
            <MonthDetail
              month={month}
              busy={starting}
              runActive={runActive}
              message={message}
              error={runError}
              onProcess={(force) => void process(force)}
              onReset={() => void askReset({ kind: 'month', year: month.year, month: month.month })}
            />
          ) : (
            <EmptyState title="Select a month">
              <p>
                Click a month in the grid (or move with the arrow keys and press Enter) to see when it was
                processed, its fingerprint and its last run. Shift-click, ctrl-click or drag to pick several
                and act on that set.
              </p>
            </EmptyState>
          )}
        </aside>
      </div>
    </section>
  )
}
