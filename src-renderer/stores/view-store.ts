import { create } from 'zustand'

export const VIEWS = [
  'overview',
  'run',
  'runs',
  'months',
  'checkpoints',
  'logs',
  'settings',
  'explain',
] as const
export type View = (typeof VIEWS)[number]

/** The views the header has a tab for; "explain this number" is opened from a value (#/explain?…). */
export const TABS: readonly View[] = VIEWS.filter((v) => v !== 'explain')

export const VIEW_LABEL: Record<View, string> = {
  overview: 'Overview',
  run: 'Run',
  runs: 'Runs',
  months: 'Months',
  checkpoints: 'Checkpoints',
  logs: 'Logs',
  settings: 'Settings',
  explain: 'Explain',
}

/**
 * Everything a view shows that someone may want to link to, in the URL hash (which works the same in the
 * browser twin and the desktop app's file:// page): `#/runs/<runId>`, `#/months/2011-09`,
 * `#/logs?level=ERROR&runId=…&search=…`. Back and forward walk through it.
 */
export interface Route {
  view: View
  /** The run whose detail the Runs view shows (#/runs/<runId>). */
  runId: string | null
  /** The month the Months view has open (#/months/<yyyy-mm>). */
  month: string | null
  /** The view's filters and search text. */
  params: Readonly<Record<string, string>>
}

const EMPTY: Route = { view: 'overview', runId: null, month: null, params: {} }

/** `#/runs/<id>` → the Runs view with that run open; an unknown hash → Overview. */
export function parseHash(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?')
  const [name = '', id] = path.split('/')
  const view = (VIEWS as readonly string[]).includes(name) ? (name as View) : 'overview'
  const sub = id ? decodeURIComponent(id) : null
  const params = Object.fromEntries(new URLSearchParams(query))
  return {
    view,
    runId: view === 'runs' ? sub : null,
    month: view === 'months' && sub && /^\d{4}-\d{2}$/.test(sub) ? sub : null,
    params,
  }
}

/** The hash of a route (without '#'); empty params are left out, so equal routes have equal hashes. */
export function toHash(route: Route): string {
  const sub =
    route.view === 'runs' && route.runId
      ? `/${encodeURIComponent(route.runId)}`
      : route.view === 'months' && route.month
        ? `/${route.month}`
        : ''
  const query = new URLSearchParams(
    Object.entries(route.params).filter(([, v]) => v !== undefined && v !== ''),
  ).toString()
  return `/${route.view}${sub}${query ? `?${query}` : ''}`
}

/** A link's href for a route (for real anchors: middle-click and "copy link" work). */
export function hrefOf(route: Partial<Route> & { view: View }): string {
  return `#${toHash({ ...EMPTY, ...route })}`
}

/** The open view, mirrored in the URL hash so reload, links and back/forward keep it. */
export const useView = create<Route>()(() =>
  typeof window === 'undefined' ? EMPTY : parseHash(window.location.hash),
)

function go(route: Route): void {
  useView.setState(route)
  if (typeof window !== 'undefined' && window.location.hash.replace(/^#/, '') !== toHash(route))
    window.location.hash = toHash(route)
}

/** A tab opens its view's top (the Runs tab: the list, not the last detail), keeping nothing of another view. */
export function showView(view: View, params: Record<string, string> = {}): void {
  go({ ...EMPTY, view, params })
}

/** Opens a run's detail in the Runs view (null: back to the list). */
export function showRun(runId: string | null): void {
  go({ ...EMPTY, view: 'runs', runId })
}

/** Opens (or, with null, closes) a month in the Months view. */
export function showMonth(month: string | null): void {
  const current = useView.getState()
  go({ ...EMPTY, view: 'months', month, params: current.view === 'months' ? current.params : {} })
}

/** The open view's filters changed: put them in the URL (a new history entry, so Back undoes them). */
export function setRouteParams(params: Record<string, string | undefined>): void {
  const clean = Object.fromEntries(
    Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  )
  go({ ...useView.getState(), params: clean })
}

/** Follows the hash (links, back/forward); `onRoute` lets stores apply a route's params and selection. */
export function followHash(onRoute: (route: Route) => void = () => undefined): () => void {
  const onHash = () => {
    const route = parseHash(window.location.hash)
    useView.setState(route)
    onRoute(route)
  }
  window.addEventListener('hashchange', onHash)
  onRoute(useView.getState())
  return () => window.removeEventListener('hashchange', onHash)
}
