import { create } from 'zustand'

export const VIEWS = ['run', 'months', 'logs'] as const
export type View = (typeof VIEWS)[number]

function fromHash(hash: string): View {
  const name = hash.replace(/^#\/?/, '')
  return (VIEWS as readonly string[]).includes(name) ? (name as View) : 'run'
}

/** The open view, mirrored in the URL hash (#/months) so reload and back/forward keep it. */
export const useView = create<{ view: View }>()(() => ({
  view: typeof window === 'undefined' ? 'run' : fromHash(window.location.hash),
}))

export function showView(view: View): void {
  useView.setState({ view })
  if (typeof window !== 'undefined' && fromHash(window.location.hash) !== view)
    window.location.hash = `/${view}`
}

export function followHash(): () => void {
  const onHash = () => useView.setState({ view: fromHash(window.location.hash) })
  window.addEventListener('hashchange', onHash)
  return () => window.removeEventListener('hashchange', onHash)
}
