import { Banner } from './components/feedback'
import { CheckpointsView } from './features/checkpoints/checkpoints-view'
import { ExplainView } from './features/explain/explain-view'
import { ExportDialog } from './features/export/export-dialog'
import { AppHeader } from './features/header/app-header'
import { LogsView } from './features/logs/logs-view'
import { MonthsView } from './features/months/months-view'
import { OverviewView } from './features/overview/overview-view'
import { ResetDialog } from './features/reset/reset-dialog'
import { RunView } from './features/run/run-view'
import { RunsView } from './features/runs/runs-view'
import { SettingsView } from './features/settings/settings-view'
import { SetupPanel } from './features/setup/setup-panel'
import { selectProblem, useConnection } from './stores/connection-store'
import { selectNeedsSetup, useSetup } from './stores/setup-store'
import { showView, useView } from './stores/view-store'

function ConnectionBanner() {
  const problem = useConnection(selectProblem)
  const link = useConnection((s) => s.link.state)
  const switching = useConnection((s) => s.dbConnection.switching === true && s.link.state !== 'closed')
  if (!problem) return null
  // A switch chosen in Settings is not an outage: say what is happening, not "unreachable".
  if (switching) return <Banner tone="info">{problem[0]?.toUpperCase() + problem.slice(1)}</Banner>
  return (
    <Banner tone="danger">
      <strong>{link === 'closed' ? 'Disconnected.' : 'Database unreachable.'}</strong> {problem}
      {link !== 'closed' ? ' The console retries on its own and catches up when it is back.' : ''}
    </Banner>
  )
}

function CurrentView() {
  const view = useView((s) => s.view)
  const needsSetup = useSetup(selectNeedsSetup)
  const statusKnown = useSetup((s) => s.status !== null)
  const dbUp = useConnection((s) => s.dbConnection.ok)
  // Settings is always reachable: it is where a wrong connection is fixed.
  if (view === 'settings') return <SettingsView />
  if (!statusKnown) {
    return (
      <section className="view" data-state={dbUp ? 'loading' : 'ready'} aria-label="Loading">
        {dbUp ? (
          <p className="muted center">Loading…</p>
        ) : (
          <div className="panel narrow">
            <h1>Waiting for the database…</h1>
            <p>
              The console keeps trying every few seconds and opens as soon as the database answers. If it does
              not, check the connection settings: <code>--database-url</code>, <code>DATABASE_URL</code>, or{' '}
              <code>DB_HOST DB_PORT DB_NAME DB_USER DB_PASSWORD</code> in the environment or <code>.env</code>
              , or choose another database in{' '}
              <button type="button" className="link" onClick={() => showView('settings')}>
                Settings
              </button>
              .
            </p>
          </div>
        )}
      </section>
    )
  }
  if (needsSetup) return <SetupPanel />
  switch (view) {
    case 'overview':
      return <OverviewView />
    case 'runs':
      return <RunsView />
    case 'months':
      return <MonthsView />
    case 'checkpoints':
      return <CheckpointsView />
    case 'logs':
      return <LogsView />
    case 'explain':
      return <ExplainView />
    default:
      return <RunView />
  }
}

/** The console: header, connection banner, the open view, and the shared reset confirmation. */
export function App() {
  return (
    <div className="app">
      <AppHeader />
      <ConnectionBanner />
      <main className="app-main">
        <CurrentView />
      </main>
      <ResetDialog />
      <ExportDialog />
    </div>
  )
}

/** Shown when the page was opened without the token `assay serve` prints. */
export function NoToken() {
  return (
    <main className="app-main">
      <section className="view" data-state="ready">
        <div className="panel narrow">
          <h1>Open the console from its URL</h1>
          <p>
            This page needs the per-launch token. Open the full URL that <code>assay serve</code> printed,
            e.g. <code>http://127.0.0.1:7350/?token=…</code>
          </p>
        </div>
      </section>
    </main>
  )
}
