import type { PlanItem } from '../../../src-shared/pipeline'
import { formatCount, formatValue } from '../../lib/format'

const REASON: Record<PlanItem['reason'], string> = {
  new: 'never processed',
  failed: 'failed last time',
  stale: 'silver changed',
  drifted: 'gold drifted from silver',
  interrupted: 'interrupted',
  forced: 'forced',
}

/** Short headers for gold.fact_sales_monthly's columns; the full name is the header's title. */
const SHORT: Record<string, string> = {
  total_revenue: 'Revenue',
  total_quantity: 'Quantity',
  total_transactions: 'Trans­actions',
  total_products: 'Products',
  total_countries: 'Countries',
  avg_revenue_per_transaction: 'Avg revenue / tx',
  avg_quantity_per_transaction: 'Avg quantity / tx',
  unique_customers: 'Customers',
  cancelled_transactions: 'Cancelled tx',
  cancelled_revenue: 'Cancelled revenue',
}

/** Every gold column any month would change, in first-seen order. */
export function diffColumns(items: readonly PlanItem[]): string[] {
  const columns: string[] = []
  for (const item of items)
    for (const c of item.diff?.changes ?? []) if (!columns.includes(c.column)) columns.push(c.column)
  return columns
}

function ChangeCell({ item, column }: { item: PlanItem; column: string }) {
  const change = item.diff?.changes.find((c) => c.column === column)
  if (!change) return <td className="num muted">{item.diff ? '=' : ''}</td>
  return (
    <td className="num">
      {change.old !== null ? (
        <>
          <s className="old">{formatValue(change.old)}</s>{' '}
        </>
      ) : null}
      {formatValue(change.new)}
    </td>
  )
}

const ACTION: Record<string, string> = { insert: 'new row', update: 'update', unchanged: 'no change' }

/**
 * The plan, one month per row, with the exact value each gold column would get: a new row's values, or an
 * update's old value struck through before the new one; "=" where a column keeps its value.
 */
export function PlanTable({ items }: { items: readonly PlanItem[] }) {
  const columns = diffColumns(items)
  return (
    <div className="table-scroll">
      <table className="table plan-table">
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col">Why</th>
            <th scope="col" className="num">
              Silver rows
            </th>
            {columns.map((column) => (
              <th key={column} scope="col" className="num" title={`gold.fact_sales_monthly.${column}`}>
                {SHORT[column] ?? column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.monthKey} data-plan-month={item.monthKey}>
              <th scope="row">
                {item.monthKey}
                {item.diff ? (
                  <span className={`diff-action diff-${item.diff.action}`}>{ACTION[item.diff.action]}</span>
                ) : null}
              </th>
              <td className="why">{REASON[item.reason]}</td>
              <td className="num">{formatCount(item.silverRows)}</td>
              {columns.map((column) => (
                <ChangeCell key={column} item={item} column={column} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
