import { EmptyState, InlineError } from '../../components/feedback'
import { MoreButton } from '../../components/more-button'
import { plural } from '../../lib/format'
import {
  type ExplainRecord,
  explainHref,
  loadMoreExplain,
  targetKey,
  useExplainRows,
  useExplainSummary,
} from '../../stores/explain-store'
import { hrefOf } from '../../stores/view-store'
import { ExportButton } from '../export/export-button'
import { breakdownChoices, crumbs, levelTitle } from './explain-model'
import { BreakdownTable, BronzeTable, SilverTable } from './explain-tables'
import { Reconciliation } from './reconciliation'

type Of<L extends ExplainRecord['level']> = Extract<ExplainRecord, { level: L }>['row']

function rowsOf<L extends ExplainRecord['level']>(records: ExplainRecord[], level: L): Of<L>[] {
  return records.filter((r) => r.level === level).map((r) => r.row as Of<L>)
}

/** Explain this number: a gold value's breakdown, its daily silver rows, the bronze lines behind them. */
export function ExplainView() {
  const target = useExplainRows((s) => s.filters.target)
  const records = useExplainRows((s) => s.records)
  const loaded = useExplainRows((s) => s.loaded)
  const loading = useExplainRows((s) => s.loading)
  const more = useExplainRows((s) => s.next !== null)
  const error = useExplainRows((s) => s.error)
  const current = useExplainSummary((s) => s.summary)
  const summaryOf = useExplainSummary((s) => s.of)
  const summaryError = useExplainSummary((s) => s.error)
  const linkError = useExplainSummary((s) => s.linkError)
  const shown = target && records[0]?.level === target.level ? records : []

  if (!target)
    return (
      <section className="view explain-view" data-state="ready" aria-label="Explain">
        <div className="panel">
          <h2>Explain this number</h2>
          <InlineError message={linkError} />
          <EmptyState title="Choose a value to explain">
            <p>
              Open a month in{' '}
              <a className="link" href={hrefOf({ view: 'months' })}>
                Months
              </a>{' '}
              or click a bar of the revenue chart on{' '}
              <a className="link" href={hrefOf({ view: 'overview' })}>
                Overview
              </a>
              : its revenue breaks down by country and product, then into daily silver rows and the bronze
              lines behind them.
            </p>
          </EmptyState>
        </div>
      </section>
    )

  const summary = summaryOf === targetKey(target) ? current : null
  const trail = crumbs(target)
  const ready = loaded && !loading && summary !== null
  return (
    <section
      className="view explain-view"
      data-state={ready || error || summaryError ? 'ready' : 'loading'}
      data-level={target.level}
      aria-label="Explain"
    >
      <nav aria-label="Drill-down" className="explain-trail">
        <ol>
          {trail.map((c, i) => (
            <li key={c.label}>
              {i === trail.length - 1 ? (
                <span aria-current="page">{c.label}</span>
              ) : (
                <a className="link" href={explainHref(c.target)}>
                  {c.label}
                </a>
              )}
            </li>
          ))}
        </ol>
      </nav>
      <div className="panel">
        <header className="panel-header">
          <h2>{levelTitle(target)}</h2>
          <div className="panel-header-actions">
            {target.level === 'breakdown' && breakdownChoices(target).length > 1 ? (
              <nav aria-label="Break down by" className="explain-by">
                {breakdownChoices(target).map((by) => (
                  <a
                    key={by}
                    aria-current={target.by === by ? 'true' : undefined}
                    href={explainHref({ ...target, by })}
                  >
                    by {by}
                  </a>
                ))}
              </nav>
            ) : null}
            <ExportButton
              table="explain"
              filter={{ explain: target }}
              what={`this level (${target.level})`}
            />
          </div>
        </header>
        <InlineError message={summaryError} />
        {summary ? <Reconciliation summary={summary} /> : null}
        <InlineError message={error} />
        <p className="muted" data-testid="explain-count">
          {plural(shown.length, target.level === 'bronze' ? 'line' : 'row')} shown
          {summary?.children.rows != null && summary.level !== 'breakdown'
            ? ` of ${(summary.children.rows + (summary.uncounted?.lines ?? 0)).toLocaleString('en')}`
            : ''}
          {more ? ' (more below)' : ''}
        </p>
        {loaded && shown.length === 0 && !error ? (
          <EmptyState title="Nothing at this level">
            <p>
              {target.level === 'bronze'
                ? 'Bronze has no line for this day, product and country any more.'
                : 'Silver has no rows here.'}
            </p>
          </EmptyState>
        ) : (
          <div className="table-scroll">
            {target.level === 'breakdown' ? (
              <BreakdownTable target={target} rows={rowsOf(shown, 'breakdown')} />
            ) : target.level === 'silver' ? (
              <SilverTable target={target} rows={rowsOf(shown, 'silver')} />
            ) : (
              <BronzeTable rows={rowsOf(shown, 'bronze')} />
            )}
          </div>
        )}
        <MoreButton more={more} loading={loading} label="More rows" onMore={() => void loadMoreExplain()} />
      </div>
    </section>
  )
}
