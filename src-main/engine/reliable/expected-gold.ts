/**
 * Test support: the contract's gold metric definitions computed independently of the SQL, in JavaScript with
 * exact decimal arithmetic (cents as BigInt, PostgreSQL's half-away-from-zero rounding).
 */
import type { SilverFact, SilverFixture } from './fixture.js'

function cents(revenue: string): bigint {
  const [whole = '0', fraction = ''] = revenue.split('.')
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2))
}

function money(value: bigint): string {
  const sign = value < 0n ? '-' : ''
  const abs = value < 0n ? -value : value
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`
}

/** round(numerator / denominator, 2) with PostgreSQL's half-away-from-zero rule, for values ≥ 0; 0 when the divisor is 0. */
function average(numeratorHundredths: bigint, denominator: number): string {
  if (denominator === 0) return '0.00'
  const d = BigInt(denominator)
  return money((2n * numeratorHundredths + d) / (2n * d))
}

function group<T>(items: T[], key: (item: T) => string | number): Map<string | number, T[]> {
  const out = new Map<string | number, T[]>()
  for (const item of items) {
    const k = key(item)
    out.set(k, [...(out.get(k) ?? []), item])
  }
  return out
}

const sumOf = (facts: SilverFact[], pick: (f: SilverFact) => number) => facts.reduce((s, f) => s + pick(f), 0)
const revenueOf = (facts: SilverFact[]) => facts.reduce((s, f) => s + cents(f.revenue), 0n)
const distinct = (facts: SilverFact[], pick: (f: SilverFact) => unknown) =>
  new Set(facts.map(pick).filter((v) => v !== null && v !== undefined)).size
const sortedDates = (facts: SilverFact[]) => facts.map((f) => f.date).sort()

/** gold.fact_product_performance as the contract defines it, ordered by product_id. */
export function expectedProducts(fixture: SilverFixture): Record<string, unknown>[] {
  const byProduct = group(fixture.facts, (f) => f.productId)
  return fixture.products
    .filter((p) => byProduct.has(p.productId))
    .map((p) => {
      const facts = byProduct.get(p.productId) ?? []
      const revenue = revenueOf(facts)
      const quantity = sumOf(facts, (f) => f.quantity)
      const transactions = sumOf(facts, (f) => f.transactions)
      const days = distinct(facts, (f) => f.date)
      const dates = sortedDates(facts)
      return {
        product_id: p.productId,
        stock_code: p.stockCode,
        description: p.description,
        category: p.category,
        total_revenue: money(revenue),
        total_quantity: quantity,
        total_transactions: transactions,
        total_days_sold: days,
        total_countries: distinct(facts, (f) => f.country),
        avg_revenue_per_day: average(revenue, days),
        avg_quantity_per_day: average(BigInt(quantity) * 100n, days),
        avg_revenue_per_transaction: average(revenue, transactions),
        avg_quantity_per_transaction: average(BigInt(quantity) * 100n, transactions),
        first_sale_date: dates[0],
        last_sale_date: dates.at(-1),
      }
    })
    .sort((a, b) => a.product_id - b.product_id)
}

/** gold.fact_country_sales as the contract defines it, ordered by country. */
export function expectedCountries(fixture: SilverFixture): Record<string, unknown>[] {
  const byCountry = group(fixture.facts, (f) => f.country)
  return [...byCountry.entries()]
    .map(([country, facts]) => {
      const revenue = revenueOf(facts)
      const quantity = sumOf(facts, (f) => f.quantity)
      const transactions = sumOf(facts, (f) => f.transactions)
      const perProduct = [...group(facts, (f) => f.productId).entries()].map(([productId, rows]) => ({
        productId: Number(productId),
        revenue: revenueOf(rows),
      }))
      perProduct.sort((a, b) =>
        a.revenue === b.revenue ? a.productId - b.productId : a.revenue > b.revenue ? -1 : 1,
      )
      const top = perProduct[0]
      const dates = sortedDates(facts)
      return {
        country: String(country),
        total_revenue: money(revenue),
        total_quantity: quantity,
        total_transactions: transactions,
        total_products: distinct(facts, (f) => f.productId),
        total_days_active: distinct(facts, (f) => f.date),
        unique_customers: distinct(facts, (f) => f.customerId),
        avg_revenue_per_transaction: average(revenue, transactions),
        avg_quantity_per_transaction: average(BigInt(quantity) * 100n, transactions),
        top_product_id: top?.productId ?? null,
        top_product_revenue: top ? money(top.revenue) : null,
        first_transaction_date: dates[0],
        last_transaction_date: dates.at(-1),
      }
    })
    .sort((a, b) => (a.country < b.country ? -1 : a.country > b.country ? 1 : 0))
}
