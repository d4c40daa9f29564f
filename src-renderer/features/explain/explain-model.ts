/** Titles and the breadcrumb trail of "explain this number": each step a level of the drill-down, and its link. */
import type { ExplainBy, ExplainTarget } from '../../../src-shared/explain'

const GOLD_TABLE = {
  month: 'gold.fact_sales_monthly',
  product: 'gold.fact_product_performance',
  country: 'gold.fact_country_sales',
} as const

/** "2011-03", "product 85123A", "United Kingdom": the value explained, in words. */
export function valueName(t: ExplainTarget): string {
  if (t.of === 'month') return t.month!
  if (t.of === 'product') return `product ${t.product}`
  return t.country!
}

export const goldTable = (t: ExplainTarget) => GOLD_TABLE[t.of]

/** The other way to break a value down (a month either way; a product by country; a country by product). */
export function breakdownChoices(t: ExplainTarget): ExplainBy[] {
  return (['country', 'product'] as const).filter((by) => by !== t.of)
}

export interface Crumb {
  label: string
  target: ExplainTarget
}

/** The levels above and including this one, each a target to link to. */
export function crumbs(t: ExplainTarget): Crumb[] {
  const base = { of: t.of, [t.of]: t[t.of] } as ExplainTarget
  const by = t.by ?? (t.of === 'country' ? 'product' : 'country')
  const out: Crumb[] = [
    {
      label: `Revenue of ${valueName(t)} by ${by}`,
      target: { ...base, level: 'breakdown', by },
    },
  ]
  if (t.level === 'breakdown') return out
  const child = t[by]
  if (child !== undefined)
    out.push({
      label: `${by === 'product' ? `Product ${child}` : child}: daily silver rows`,
      target: { ...base, level: 'silver', by, [by]: child } as ExplainTarget,
    })
  if (t.level === 'bronze')
    out.push({ label: `${t.day} · ${t.product} · ${t.country}: bronze lines`, target: t })
  return out
}

/** The heading of a level. */
export function levelTitle(t: ExplainTarget): string {
  if (t.level === 'breakdown') return `Revenue of ${valueName(t)} (${goldTable(t)}), by ${t.by}`
  if (t.level === 'silver') {
    const child = t.by === 'product' ? `product ${t[t.by]}` : t[t.by!]
    return `Daily silver rows: ${valueName(t)} · ${child}`
  }
  return `Bronze lines behind ${t.day} · ${t.product} · ${t.country}`
}

/** The level below a breakdown row, and the bronze level below a silver row. */
export function silverOf(t: ExplainTarget, key: string): ExplainTarget {
  return { ...t, level: 'silver', [t.by!]: key } as ExplainTarget
}

export function bronzeOf(
  t: ExplainTarget,
  row: { day: string; stockCode: string; country: string },
): ExplainTarget {
  return { ...t, level: 'bronze', day: row.day, product: row.stockCode, country: row.country }
}
