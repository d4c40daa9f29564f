import type { Fix, FixAction, Overview } from '../../../src-shared/overview'
import { InlineError } from '../../components/feedback'
import { formatCount } from '../../lib/format'
import { runFix, useOverview } from '../../stores/overview-store'

const ACTION_LABEL: Record<FixAction, string> = {
  init: 'Create schemas',
  demo: 'Load demo data',
  silver: 'Build silver',
  monthly: 'Run monthly pipeline',
  reliable: 'Run reliable pipeline',
}

function FixRow({ fix }: { fix: Fix }) {
  const busy = useOverview((s) => s.busy)
  return (
    <li className="fix">
      <div>
        <p className="fix-why">{fix.why}</p>
        <p className="muted">
          CLI: <code>{fix.commands.join('  or  ')}</code>
        </p>
      </div>
      {fix.action ? (
        <button
          type="button"
          className="button button-small button-primary"
          disabled={busy !== null}
          onClick={() => void runFix(fix.action!)}
        >
          {busy === fix.action ? 'Working…' : ACTION_LABEL[fix.action]}
        </button>
      ) : null}
    </li>
  )
}

/** Bronze, silver, gold and ops: which tables exist and hold rows, and for anything missing, its fix. */
export function LayersPanel({ overview }: { overview: Overview }) {
  const error = useOverview((s) => s.actionError)
  return (
    <section className="panel" aria-labelledby="layers-title">
      <h2 id="layers-title">Prerequisites</h2>
      <ul className="layers">
        {overview.layers.map((layer) => {
          const rows = layer.tables.reduce((sum, t) => sum + (t.rows ?? 0), 0)
          const detail = layer.tables.map((t) => `${t.name}: ${t.exists ? formatCount(t.rows) : 'missing'}`)
          return (
            <li
              key={layer.layer}
              className={`layer ${layer.ok ? 'ok' : 'missing'}`}
              title={detail.join('\n')}
            >
              <span className="layer-mark" aria-hidden="true">
                {layer.ok ? '✓' : '!'}
              </span>
              <span className="layer-name">{layer.layer}</span>
              <span className="muted">
                {layer.ok
                  ? `${formatCount(rows)} rows`
                  : layer.tables.some((t) => !t.exists)
                    ? 'missing'
                    : 'empty'}
              </span>
            </li>
          )
        })}
      </ul>
      {overview.fixes.length > 0 ? (
        <ul className="fixes">
          {overview.fixes.map((fix) => (
            <FixRow key={fix.why} fix={fix} />
          ))}
        </ul>
      ) : (
        <p className="muted">Every layer is in place and holds data.</p>
      )}
      <InlineError message={error} />
    </section>
  )
}
