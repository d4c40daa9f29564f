import { useState } from 'react'
import { formatBytes } from '../lib/format'

/**
 * A value a page cut to its preview (engine/ops/page-bounds): the preview, its full size, and a "Show all"
 * that fetches the one item whole. Uncut values (no `bytes`) render as they are.
 */
export function CutValue<T>({
  value,
  bytes,
  render,
  fetchAll,
}: {
  value: T
  bytes: number | undefined
  /** `cut`: the value is the page's preview, not the item. */
  render: (value: T, cut: boolean) => string
  fetchAll: () => Promise<T>
}) {
  const [full, setFull] = useState<{ value: T } | null>(null)
  const [state, setState] = useState<'idle' | 'loading' | string>('idle')
  if (bytes === undefined || full)
    return <pre className="mono">{render(full ? full.value : value, false)}</pre>
  const showAll = async () => {
    setState('loading')
    try {
      setFull({ value: await fetchAll() })
    } catch (error) {
      setState(error instanceof Error ? error.message : String(error))
    }
  }
  return (
    <div className="cut-value" data-cut-bytes={bytes}>
      <pre className="mono">{render(value, true)}…</pre>
      <p className="muted small">
        Cut to a preview ({formatBytes(bytes)} in full).{' '}
        <button type="button" className="link" onClick={showAll} disabled={state === 'loading'}>
          {state === 'loading' ? 'Loading…' : 'Show all'}
        </button>
        {state !== 'idle' && state !== 'loading' ? <span role="alert"> {state}</span> : null}
      </p>
    </div>
  )
}
