import type { MonthTotals } from '../../../src-shared/overview'
import type { MonthStatus } from '../../../src-shared/pipeline'
import { BarChart, type ChartGroup } from '../../components/bar-chart'
import { formatCompact, formatValue, shortMonth } from '../../lib/format'
import { explainHref } from '../../stores/explain-store'

function difference(m: MonthTotals): string {
  const parts: string[] = []
  const revenue = Number(m.revenue) - Number(m.silverRevenue)
  if (revenue !== 0) parts.push(`revenue ${revenue > 0 ? '+' : ''}${formatValue(revenue.toFixed(2))}`)
  if (m.quantity !== m.silverQuantity)
    parts.push(`quantity ${m.quantity - m.silverQuantity > 0 ? '+' : ''}${m.quantity - m.silverQuantity}`)
  if (m.transactions !== m.silverTransactions)
    parts.push(
      `transactions ${m.transactions - m.silverTransactions > 0 ? '+' : ''}${m.transactions - m.silverTransactions}`,
    )
  return parts.join(', ')
}

const explainMonth = (month: string) => explainHref({ level: 'breakdown', of: 'month', month, by: 'country' })

/** Gold months in order, with a gap (an empty, labelled slot) for each silver month missing from gold. */
export function revenueGroups(months: MonthTotals[], missing: string[]): ChartGroup[] {
  const groups: ChartGroup[] = months.map((m) => ({
    key: m.monthKey,
    label: shortMonth(m.year, m.month),
    values: [Number(m.revenue)],
    className: m.reconciled ? undefined : 'chart-problem',
    href: explainMonth(m.monthKey),
    linkLabel: `Explain the revenue of ${m.monthKey}: ${formatValue(m.revenue)}`,
  }))
  const first = months[0]?.monthKey
  const last = months[months.length - 1]?.monthKey
  for (const key of missing) {
    // Only gaps inside the drawn range: months before the first or after the last would stretch the axis.
    if (!first || !last || key < first || key > last) continue
    const [year, month] = key.split('-').map(Number) as [number, number]
    groups.push({ key, label: shortMonth(year, month), values: [null], className: 'chart-gap' })
  }
  return groups.sort((a, b) => a.key.localeCompare(b.key))
}

/** Why each silver month is not in gold: a failed month is not "picked up" by the next run on its own. */
export function missingText(missing: string[], statusOf: (key: string) => MonthStatus | undefined): string[] {
  const failed = missing.filter((k) => statusOf(k) === 'failed')
  const rest = missing.filter((k) => statusOf(k) !== 'failed')
  const lines: string[] = []
  if (failed.length)
    lines.push(
      `Failed, not in gold: ${failed.join(', ')} — see the error in Months, fix its cause, then process ${failed.length === 1 ? 'it' : 'them'} again.`,
    )
  if (rest.length) lines.push(`Not in gold yet: ${rest.join(', ')} — the next monthly run picks them up.`)
  return lines
}

/** Monthly revenue from gold, with each month's reconciliation against silver underneath its bar. */
export function RevenuePanel({
  months,
  missing,
  statusOf,
}: {
  months: MonthTotals[]
  missing: string[]
  statusOf: (key: string) => MonthStatus | undefined
}) {
  const off = months.filter((m) => !m.reconciled)
  return (
    <section className="panel" aria-labelledby="revenue-title" data-testid="revenue">
      <header className="panel-header">
        <h2 id="revenue-title">Monthly revenue (gold.fact_sales_monthly)</h2>
        <p className={off.length ? 'detail-problem' : 'muted'} data-testid="reconciliation-summary">
          {months.length === 0
            ? ''
            : off.length === 0
              ? `✓ all ${months.length} months match silver`
              : `✗ ${off.length} of ${months.length} months differ from silver`}
        </p>
      </header>
      {months.length === 0 ? (
        <p className="muted">Gold has no months yet — run the monthly pipeline to fill it.</p>
      ) : (
        <>
          <BarChart
            label="Revenue per month"
            series={['Revenue']}
            axisLabel="Revenue"
            format={formatCompact}
            groups={revenueGroups(months, missing)}
          />
          <ol
            className="recon"
            aria-label="Reconciliation of gold with silver, per month"
            style={{ gridTemplateColumns: `repeat(${months.length}, 1fr)` }}
          >
            {months.map((m) => (
              <li
                key={m.monthKey}
                className={m.reconciled ? 'recon-ok' : 'recon-bad'}
                data-month={m.monthKey}
                data-reconciled={m.reconciled}
                title={
                  m.reconciled
                    ? `${m.monthKey}: gold equals silver (revenue ${formatValue(m.revenue)}, quantity ${m.quantity}, transactions ${m.transactions})`
                    : `${m.monthKey}: gold differs from silver — ${difference(m)}`
                }
              >
                <a className="recon-link" href={explainMonth(m.monthKey)}>
                  <span aria-hidden="true">{m.reconciled ? '✓' : '✗'}</span>
                  <span className="sr-only">
                    {m.monthKey} {m.reconciled ? 'matches silver' : `differs from silver: ${difference(m)}`}:
                    explain
                  </span>
                </a>
              </li>
            ))}
          </ol>
          {off.length > 0 ? (
            <ul className="recon-details">
              {off.map((m) => (
                <li key={m.monthKey}>
                  <strong>{m.monthKey}</strong>: gold − silver = {difference(m)}. Re-run the month to fix it.
                </li>
              ))}
            </ul>
          ) : null}
        </>
      )}
      {missingText(missing, statusOf).map((line) => (
        <p
          key={line}
          className={line.startsWith('Failed') ? 'detail-problem' : 'muted'}
          data-testid="missing-in-gold"
        >
          {line}
        </p>
      ))}
    </section>
  )
}
