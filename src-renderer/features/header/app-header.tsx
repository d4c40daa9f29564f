import type { KeyboardEvent } from 'react'
import { unitCounts } from '../../../src-shared/run-progress'
import { useCheckpoints } from '../../stores/checkpoints-store'
import { selectProblem, useConnection } from '../../stores/connection-store'
import { useRunList } from '../../stores/history-store'
import { stripEmpty, useLogs } from '../../stores/logs-store'
import { selectRunActive, useRuns } from '../../stores/runs-store'
import { selectNeedsSetup, useSetup } from '../../stores/setup-store'
import { showView, TABS, useView, VIEW_LABEL, type View } from '../../stores/view-store'

/** A tab comes back to the filters its view had (they are in its URL too). */
function tabParams(view: View): Record<string, string> {
  if (view === 'logs') return stripEmpty(useLogs.getState().filters)
  if (view === 'runs') return stripEmpty(useRunList.getState().filters)
  if (view === 'checkpoints') return stripEmpty(useCheckpoints.getState().filters)
  return {}
}

function onTabKey(event: KeyboardEvent<HTMLDivElement>, current: View) {
  const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0
  if (!step) return
  event.preventDefault()
  const next = TABS[(Math.max(0, TABS.indexOf(current)) + step + TABS.length) % TABS.length]!
  showView(next, tabParams(next))
  event.currentTarget.querySelector<HTMLButtonElement>(`#tab-${next}`)?.focus()
}

function DbBadge() {
  const db = useConnection((s) => s.db)
  const problem = useConnection(selectProblem)
  if (!db) return <span className="db-badge muted">Connecting…</span>
  return (
    <span className={`db-badge ${problem ? 'down' : 'up'}`} title={db.label} data-testid="db-badge">
      <span className="dot" aria-hidden="true" />
      <span className="badge-text">
        {db.kind === 'pglite' ? 'Embedded database' : `PostgreSQL ${db.target}`}
      </span>
      <span className="sr-only">{problem ? ' (unreachable)' : ' (connected)'}</span>
    </span>
  )
}

function RunIndicator() {
  const active = useRuns(selectRunActive)
  const job = useRuns((s) => s.job)
  const others = useRuns((s) => s.overview.active)
  const run = job?.status === 'running' ? job.runs[job.runs.length - 1] : undefined
  let text = 'No run active'
  if (run) {
    const counts = unitCounts(run)
    text = `${run.pipeline === 'monthly' ? 'Monthly' : 'Reliable'} run: ${counts.completed}/${run.units.length}`
  } else if (job?.status === 'running') text = 'Run starting…'
  else if (others.length) text = `Run active (${others[0]!.trigger === 'cli' ? 'CLI' : 'another console'})`
  return (
    <span
      className={`run-indicator ${active ? 'active' : ''}`}
      data-testid="run-indicator"
      data-active={active}
    >
      <span className="dot" aria-hidden="true" />
      {text}
    </span>
  )
}

/** Always visible: where the console is connected, whether a run is active, and the views. */
export function AppHeader() {
  const view = useView((s) => s.view)
  const setup = useSetup(selectNeedsSetup)
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Assay
      </div>
      <div className="tabs" role="tablist" aria-label="Views" onKeyDown={(e) => onTabKey(e, view)}>
        {TABS.map((name) => (
          <button
            key={name}
            id={`tab-${name}`}
            type="button"
            role="tab"
            aria-selected={view === name}
            // A view without a tab (explain) leaves the first tab reachable by keyboard.
            tabIndex={view === name || (!TABS.includes(view) && name === TABS[0]) ? 0 : -1}
            className="tab"
            title={
              setup && name !== 'settings' ? 'This database is not set up yet: the tab shows how' : undefined
            }
            onClick={() => showView(name, tabParams(name))}
          >
            {VIEW_LABEL[name]}
          </button>
        ))}
      </div>
      <div className="header-status">
        <RunIndicator />
        <DbBadge />
      </div>
    </header>
  )
}
