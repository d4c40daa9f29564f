import { create } from 'zustand'

export const VIEWS = ['overview', 'run', 'runs', 'months', 'checkpoints', 'logs', 'settings'] as const
export type View = (typeof VIEWS)[number]

export const VIEW_LABEL: Record<View, string> = {
  overview: 'Overview',
  run: 'Run',
  runs: 'Runs',
  months: 'Months',
  checkpoints: 'Checkpoints',
  logs: 'Logs',
  settings: 'Settings',
}

interface ViewState {
  view: View
  /** The run whose detail the Runs view shows (#/runs/<runId>). */
  runId: string | null
}

/** `#/runs/<id>` → the Runs view with that run open; an unknown hash → Overview. */
export function parseHash(hash: string): ViewState {
  const [name = '', id] = hash.replace(/^#\/?/, '').split('/')
  const view = (VIEWS as readonly string[]).includes(name) ? (name as View) : 'overview'
  return { view, runId: view === 'runs' && id ? decodeURIComponent(id) : null }
}

function toHash(state: ViewState): string {
  return state.view === 'runs' && state.runId ? `/runs/${encodeURIComponent(state.runId)}` : `/${state.view}`
}

/** The open view, mirrored in the URL hash (#/months, #/runs/<id>) so reload and back/forward keep it. */
export const useView = create<ViewState>()(() =>
  typeof window === 'undefined' ? { view: 'overview', runId: null } : parseHash(window.location.hash),
)

function go(state: ViewState): void {
  useView.setState(state)
  if (typeof window !== 'undefined' && window.location.hash.replace(/^#/, '') !== toHash(state))
    window.location.hash = toHash(state)
}

export function showView(view: View): void {
  // A tab opens its view's top (the Runs tab: the list, not the last detail); deep links carry the rest.
  go({ view, runId: null })
}

/** Opens a run's detail in the Runs view (null: back to the list). */
export function showRun(runId: string | null): void {
  go({ view: 'runs', runId })
}

export function followHash(): () => void {
  const onHash = () => useView.setState(parseHash(window.location.hash))
  window.addEventListener('hashchange', onHash)
  return () => window.removeEventListener('hashchange', onHash)
}
