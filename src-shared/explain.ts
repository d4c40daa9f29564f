/**
 * "Explain this number": from a gold value down to the bronze lines behind it. A target is one level of the
 * drill-down, flat so it fits a URL's query and an export's filter:
 * - breakdown: the gold value (`of` a month, a product or a country) split `by` country or product;
 * - silver: the daily silver rows of the value and one child of the breakdown (the field `by` names);
 * - bronze: the bronze lines behind one silver row (a day, a product and a country).
 * Schemas only; shared by the host and the renderer. No Node or DOM imports.
 */
import { z } from 'zod'
import { parseMonthKey } from './months.js'

export const ExplainLevelName = z.enum(['breakdown', 'silver', 'bronze'])
export type ExplainLevelName = z.infer<typeof ExplainLevelName>
export const ExplainOf = z.enum(['month', 'product', 'country'])
export type ExplainOf = z.infer<typeof ExplainOf>
export const ExplainBy = z.enum(['country', 'product'])
export type ExplainBy = z.infer<typeof ExplainBy>

const MonthKey = z.string().superRefine((text, ctx) => {
  const parsed = parseMonthKey(text)
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed })
})
const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'day must be YYYY-MM-DD')
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'day is not a date',
  )
const Product = z.string().min(1, 'product (a stock code) must not be empty').max(20)
const Country = z.string().min(1, 'country must not be empty').max(100)

/** The fields a target may set, checked together by ExplainTarget. */
const TargetFields = z.object({
  level: ExplainLevelName,
  of: ExplainOf,
  month: MonthKey.optional(),
  product: Product.optional(),
  country: Country.optional(),
  by: ExplainBy.optional(),
  day: Day.optional(),
})

/** One level of the drill-down; a target that misses what its level needs is refused with the reason. */
export const ExplainTarget = TargetFields.superRefine((t, ctx) => {
  const need = (ok: boolean, message: string) => {
    if (!ok) ctx.addIssue({ code: 'custom', message })
  }
  need(t[t.of] !== undefined, `explaining a ${t.of} needs the ${t.of}`)
  if (t.level === 'breakdown' || t.level === 'silver') {
    need(t.by !== undefined, `the ${t.level} level needs "by" (country or product)`)
    need(t.by !== t.of, `a ${t.of} cannot be broken down by ${t.of}`)
  }
  if (t.level === 'silver' && t.by) need(t[t.by] !== undefined, `the silver level needs the ${t.by} to show`)
  if (t.level === 'bronze') {
    need(t.day !== undefined, 'the bronze level needs the day of the silver row')
    need(
      t.product !== undefined && t.country !== undefined,
      'the bronze level needs the product and the country',
    )
    if (t.day && t.month) need(t.day.startsWith(t.month), `day ${t.day} is not in ${t.month}`)
  }
})
export type ExplainTarget = z.infer<typeof ExplainTarget>

export const EXPLAIN_PAGE_MAX = 500

/** A keyset position the host handed out: the last row of the previous page. */
export const ExplainCursor = z.object({
  /** Breakdown: the last country, or the last product's id (as text). */
  key: z.string().min(1).max(100).optional(),
  /** Silver: the last row's key. */
  dateId: z.number().int().positive().optional(),
  productId: z.number().int().positive().optional(),
  country: Country.optional(),
  /** Bronze: the last line's id. */
  id: z.number().int().positive().optional(),
})
export type ExplainCursor = z.infer<typeof ExplainCursor>

export const ExplainPageQuery = z.object({
  target: ExplainTarget,
  after: ExplainCursor.optional(),
  limit: z.number().int().min(1).max(EXPLAIN_PAGE_MAX, `limit must be at most ${EXPLAIN_PAGE_MAX}`),
})
export type ExplainPageQuery = z.infer<typeof ExplainPageQuery>

/** Revenue (exact decimal text), quantity and transactions: the values gold, silver and bronze share. */
export const Totals = z.object({
  revenue: z.string(),
  quantity: z.number(),
  transactions: z.number(),
  /** Rows (silver) or lines (bronze) summed; null for a gold row. */
  rows: z.number().nullable(),
})
export type Totals = z.infer<typeof Totals>

export const BreakdownRow = z.object({
  /** The country, or the product's stock code. */
  key: z.string(),
  /** The product's description (null for a country). */
  description: z.string().nullable(),
  totals: Totals,
  /** Keyset position of this row. */
  cursor: z.string(),
})
export type BreakdownRow = z.infer<typeof BreakdownRow>

export const SilverRow = z.object({
  day: z.string(),
  dateId: z.number(),
  productId: z.number(),
  stockCode: z.string(),
  description: z.string(),
  country: z.string(),
  customerId: z.number().nullable(),
  transactions: z.number(),
  quantity: z.number(),
  revenue: z.string(),
  avgUnitPrice: z.string(),
})
export type SilverRow = z.infer<typeof SilverRow>

/** Where a bronze line came from: a file Assay ingested, `assay demo`, or another writer (no lineage kept). */
export const Lineage = z.enum(['file', 'generated', 'external'])
export type Lineage = z.infer<typeof Lineage>

export const BronzeLine = z.object({
  id: z.number(),
  invoiceNo: z.string(),
  invoiceDate: z.string(),
  stockCode: z.string(),
  description: z.string().nullable(),
  quantity: z.number().nullable(),
  unitPrice: z.string().nullable(),
  /** quantity × unit price. */
  revenue: z.string().nullable(),
  customerId: z.string().nullable(),
  country: z.string().nullable(),
  /** Whether silver counts the line (quantity > 0, unit price ≥ 0, in bounds): cancellations are not. */
  counted: z.boolean(),
  lineage: Lineage,
  /** The file's name (as ingested), or the writer's source_file. */
  sourceFile: z.string().nullable(),
  /** Physical line of the file (CSV, 1 = header) or sheet row (xlsx). */
  sourceLine: z.number().nullable(),
  ingestedAt: z.string().nullable(),
})
export type BronzeLine = z.infer<typeof BronzeLine>

export const ExplainPage = z.discriminatedUnion('level', [
  z.object({ level: z.literal('breakdown'), rows: z.array(BreakdownRow), next: ExplainCursor.nullable() }),
  z.object({ level: z.literal('silver'), rows: z.array(SilverRow), next: ExplainCursor.nullable() }),
  z.object({ level: z.literal('bronze'), rows: z.array(BronzeLine), next: ExplainCursor.nullable() }),
])
export type ExplainPage = z.infer<typeof ExplainPage>

/**
 * The reconciliation of a level: the value above (the gold row, the breakdown row, the silver row) against the
 * sum of every row of this level (all pages, summed in SQL), and their difference.
 */
export const ExplainSummary = z.object({
  level: ExplainLevelName,
  /** What the value above is, e.g. "gold.fact_sales_monthly 2011-03". */
  parentLabel: z.string(),
  /** null: there is no such row (a month not in gold, a silver row bronze no longer has). */
  parent: Totals.nullable(),
  childLabel: z.string(),
  children: Totals,
  /** parent − children; null without a parent. */
  difference: Totals.omit({ rows: true }).nullable(),
  reconciled: z.boolean(),
  /** Bronze: lines of the same day, product and country that silver does not count (cancellations…). */
  uncounted: z.object({ lines: z.number(), revenue: z.string() }).nullable(),
  /** Bronze: lines with no file lineage (not ingested by Assay from a file). */
  withoutLineage: z.number().nullable(),
})
export type ExplainSummary = z.infer<typeof ExplainSummary>
