import { assertMigrated } from '../db/migrate.js'
import type { Db } from '../db/types.js'
import { UsageError } from '../errors.js'
import { BronzeWriter } from '../ingest/bronze-writer.js'
import { DEFAULT_BATCH_ROWS } from '../ingest/types.js'
import { LOCK } from '../ops/locks.js'
import { type DemoInvoice, demoInvoices, planDemo } from './generate.js'

export const MIN_SCALE = 0.01
export const MAX_SCALE = 10
/** Advisory-lock namespace: two demos into one database take turns, so the "already there" check holds. */

export interface DemoOptions {
  scale: number
  seed: number
  /** Lines written so far, of `total`. */
  onProgress?: (lines: number, total: number) => void
}

export interface DemoReport {
  status: 'loaded' | 'already_present'
  sourceFile: string
  lines: number
  invoices: number
  cancellations: number
  customers: number
  products: number
  countries: number
  months: string[]
  seconds: number
}

/** `demo:scale=S:seed=N`, the source_file of demo rows. */
export function demoSource(scale: number, seed: number): string {
  return `demo:scale=${scale}:seed=${seed}`
}

/** Checks --scale and --seed; bad values are usage errors. */
export function validateDemoOptions(scale: number, seed: number): void {
  if (!Number.isFinite(scale) || scale < MIN_SCALE || scale > MAX_SCALE) {
    throw new UsageError(`--scale must be a number from ${MIN_SCALE} to ${MAX_SCALE} (got ${scale})`)
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new UsageError(`--seed must be a whole number from 0 to 4294967295 (got ${seed})`)
  }
}

function pounds(pence: number): string {
  return `${Math.floor(pence / 100)}.${String(pence % 100).padStart(2, '0')}`
}

/** COPY CSV lines of one invoice. Generated descriptions and countries hold no commas or quotes. */
function* csvLines(invoice: DemoInvoice): Generator<string> {
  const tail = `${invoice.date},`
  const end = `,${invoice.customer ?? ''},${invoice.country}`
  for (const l of invoice.lines) {
    yield `${invoice.invoiceNo},${l.code},${l.description},${l.quantity},${tail}${pounds(l.pence)}${end}`
  }
}

/**
 * Writes deterministic Online Retail-like data (see generate.ts) straight into bronze in COPY batches,
 * in one transaction. A database that already holds this (scale, seed) gets nothing added.
 */
export async function loadDemo(db: Db, options: DemoOptions): Promise<DemoReport> {
  validateDemoOptions(options.scale, options.seed)
  await assertMigrated(db)
  const started = performance.now()
  const sourceFile = demoSource(options.scale, options.seed)
  const plan = planDemo(options.scale)
  const report: DemoReport = {
    status: 'loaded',
    sourceFile,
    lines: 0,
    invoices: 0,
    cancellations: 0,
    customers: 0,
    products: 0,
    countries: 0,
    months: [],
    seconds: 0,
  }
  return db.transaction(async (session) => {
    await session.query('SELECT pg_advisory_xact_lock($1::int, 0)', [LOCK.demo])
    const { rows } = await session.query(
      'SELECT 1 FROM bronze.raw_transactions WHERE source_file = $1 LIMIT 1',
      [sourceFile],
    )
    if (rows.length > 0) {
      return { ...report, status: 'already_present' as const, seconds: (performance.now() - started) / 1000 }
    }
    const writer = new BronzeWriter(session, sourceFile, '', DEFAULT_BATCH_ROWS)
    const customers = new Set<string>()
    const products = new Set<string>()
    const countries = new Set<string>()
    const months = new Set<string>()
    for (const invoice of demoInvoices(options.scale, options.seed)) {
      for (const text of csvLines(invoice)) writer.add(text)
      report.lines += invoice.lines.length
      report.invoices++
      if (invoice.invoiceNo.startsWith('C')) report.cancellations++
      if (invoice.customer) customers.add(invoice.customer)
      for (const l of invoice.lines) products.add(l.code)
      countries.add(invoice.country)
      months.add(invoice.date.slice(0, 7))
      if (writer.full) {
        await writer.flush()
        options.onProgress?.(report.lines, plan.lines)
      }
    }
    await writer.finish()
    options.onProgress?.(report.lines, plan.lines)
    return {
      ...report,
      customers: customers.size,
      products: products.size,
      countries: countries.size,
      months: [...months].sort(),
      seconds: (performance.now() - started) / 1000,
    }
  })
}
