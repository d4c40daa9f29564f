import type { ExplainSummary, Totals } from '../../../src-shared/explain'
import { formatCount, formatValue, plural } from '../../lib/format'
import { numHeads } from './explain-tables'

const signed = (n: number) => `${n > 0 ? '+' : ''}${formatCount(n)}`
const signedValue = (v: string) => `${v.startsWith('-') ? '' : '+'}${formatValue(v)}`

/** Revenue, quantity and transactions as three cells. */
function Figures({ values }: { values: [string, string, string] }) {
  return (
    <>
      {(['revenue', 'quantity', 'transactions'] as const).map((field, i) => (
        <td key={field} className="num" data-field={field}>
          {values[i]}
        </td>
      ))}
    </>
  )
}

const figures = (t: Totals): [string, string, string] => [
  formatValue(t.revenue),
  formatCount(t.quantity),
  formatCount(t.transactions),
]

/** The value above against the sum of every row of this level, and the difference — never hidden. */
export function Reconciliation({ summary }: { summary: ExplainSummary }) {
  const { parent, children, difference, reconciled } = summary
  return (
    <section
      className={`explain-recon ${reconciled ? 'recon-match' : 'recon-differs'}`}
      aria-label="Reconciliation"
      data-testid="explain-reconciliation"
      data-reconciled={reconciled}
    >
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Reconciliation</th>
            {numHeads(['Revenue', 'Quantity', 'Transactions'])}
          </tr>
        </thead>
        <tbody>
          <tr data-row="parent">
            <th scope="row">{summary.parentLabel}</th>
            {parent ? (
              <Figures values={figures(parent)} />
            ) : (
              <td colSpan={3} className="detail-problem">
                No such row{summary.level === 'breakdown' ? ' in gold' : ' in silver'} — nothing to reconcile
                with
              </td>
            )}
          </tr>
          <tr data-row="children">
            <th scope="row">
              Sum of {formatCount(children.rows)} {summary.childLabel}
            </th>
            <Figures values={figures(children)} />
          </tr>
          <tr data-row="difference" className={reconciled ? 'recon-ok' : 'recon-bad'}>
            <th scope="row">
              {reconciled ? '✓ Equal' : difference ? '✗ Difference (above − sum)' : '✗ Not reconciled'}
            </th>
            {difference ? (
              <Figures
                values={[
                  signedValue(difference.revenue),
                  signed(difference.quantity),
                  signed(difference.transactions),
                ]}
              />
            ) : (
              <td colSpan={3}>—</td>
            )}
          </tr>
        </tbody>
      </table>
      {!reconciled && difference ? (
        <p className="detail-problem">
          {summary.level === 'bronze'
            ? 'Bronze changed after silver was built: build silver again (assay silver), then re-run the month.'
            : summary.level === 'breakdown'
              ? 'Gold is stale against silver: re-run this month (or the reliable pipeline for a product or country).'
              : 'The rows do not add up to the breakdown row.'}
        </p>
      ) : null}
      {summary.uncounted && summary.uncounted.lines > 0 ? (
        <p className="muted" data-testid="uncounted">
          {plural(summary.uncounted.lines, 'line')} of this day, product and country silver does not count
          (cancellations, returns, prices below 0): revenue {formatValue(summary.uncounted.revenue)}.
        </p>
      ) : null}
      {summary.withoutLineage ? (
        <p className="muted" data-testid="without-lineage">
          {plural(summary.withoutLineage, 'line')} not ingested by Assay from a file: no file or line number
          was kept for {summary.withoutLineage === 1 ? 'it' : 'them'}.
        </p>
      ) : null}
    </section>
  )
}
