import type { ReactNode } from 'react'
import type { MonthState } from '../../../src-shared/pipeline'
import { InlineError } from '../../components/feedback'
import { MonthStatusBadge } from '../../components/status'
import { formatCount, formatDateTime, formatDuration, formatValue, zoneLabel } from '../../lib/format'
import { explainHref } from '../../stores/explain-store'
import { RunLink } from '../runs/run-facts'
import { ProcessButtons } from './process-buttons'

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  )
}

/** Everything known about one month, and what can be done to it. */
export function MonthDetail({
  month,
  busy,
  runActive,
  message,
  error,
  onProcess,
  onReset,
}: {
  month: MonthState
  busy: boolean
  runActive: boolean
  message: string | null
  error: string | null
  onProcess: (force: boolean) => void
  onReset: () => void
}) {
  const f = month.fingerprint
  const disabled = busy || runActive || month.status === 'no_data'
  return (
    <div className="month-detail" data-testid="month-detail" data-month={month.monthKey}>
      <header className="panel-header">
        <h2>{month.monthKey}</h2>
        <MonthStatusBadge status={month.status} />
      </header>
      <dl className="facts">
        <Row label={`Processed at (${zoneLabel()})`}>{formatDateTime(month.processedAt)}</Row>
        <Row label="Duration">{formatDuration(month.durationMs)}</Row>
        <Row label="Silver rows">{formatCount(month.silverRows)}</Row>
        <Row label="Fingerprint">
          {f ? (
            <span>
              {formatCount(f.rows)} rows · revenue {formatValue(f.revenue)} · quantity{' '}
              {formatCount(f.quantity)} · {formatCount(f.transactions)} transactions · silver v{f.version}
            </span>
          ) : (
            '—'
          )}
        </Row>
        <Row label="Last run">
          {month.runId ? <RunLink runId={month.runId} /> : '—'}
          {month.host ? <span className="muted"> on {month.host}</span> : null}
        </Row>
        <Row label="Gold revenue">
          {month.status === 'no_data' ? (
            '—'
          ) : (
            <a
              className="link"
              href={explainHref({ level: 'breakdown', of: 'month', month: month.monthKey, by: 'country' })}
              data-testid="explain-month"
            >
              Explain this month's revenue
            </a>
          )}
        </Row>
        <Row label="Attempts">{month.attempts ?? '—'}</Row>
        <Row label="Error">
          {month.error ? (
            <span className="detail-problem">
              {month.error}
              {month.sqlstate && !month.error.includes(month.sqlstate) ? ` (SQLSTATE ${month.sqlstate})` : ''}
            </span>
          ) : (
            '—'
          )}
        </Row>
      </dl>
      <div className="actions">
        <ProcessButtons disabled={disabled} onProcess={onProcess} />
        <button
          type="button"
          className="button button-danger-outline"
          disabled={busy || runActive}
          onClick={onReset}
        >
          Reset this month…
        </button>
      </div>
      {runActive ? (
        <p className="field-hint">A run is active; month actions are available when it finishes.</p>
      ) : null}
      {message ? (
        <p className="notice" role="status">
          {message}
        </p>
      ) : null}
      <InlineError message={error} />
    </div>
  )
}
