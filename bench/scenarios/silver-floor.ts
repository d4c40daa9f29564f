/**
 * The silver floors: the same aggregation the build runs (its own FACT_SOURCE text) into a temporary table, one
 * plain INSERT of every column into an index-free copy of silver.fact_sales_daily (a logged table, as silver is),
 * then the fact table's nine indexes built on the copy. Every output column is written, so PostgreSQL cannot skip
 * an aggregate nobody reads.
 */
import type { Db } from '../../src-main/engine/db/types.js'
import { changedScope, dayNumber, FULL_SCOPE } from '../../src-main/engine/silver/scope.js'
import { FACT_SOURCE } from '../../src-main/engine/silver/sql.js'

/** The file that adds a new month: 2011-01's bronze, a year later (the demo data ends in 2011-12). */
export const NEW_MONTH_FILE = 'bench-new-month-2012-01.csv'

/** Its content, in the Online Retail header's names with ISO dates (what `assay ingest` reads). */
export const NEW_MONTH_CSV = `COPY (
  SELECT invoiceno AS "InvoiceNo", stockcode AS "StockCode", description AS "Description", quantity AS "Quantity",
         to_char(invoicedate + interval '1 year', 'YYYY-MM-DD HH24:MI:SS') AS "InvoiceDate",
         unitprice AS "UnitPrice", customerid AS "CustomerID", country AS "Country"
  FROM bronze.raw_transactions
  WHERE invoicedate >= '2011-01-01' AND invoicedate < '2011-02-01' AND source_file IS DISTINCT FROM '${NEW_MONTH_FILE}'
  ORDER BY id
) TO STDOUT (FORMAT csv, HEADER)`

/** The new month's dates as the incremental build's plan would name them. */
const NEW_MONTH_SPAN = { first: dayNumber('2012-01-01'), last: dayNumber('2012-01-31') }

const COPY = 'public.assay_bench_silver_floor'

const INDEXES = ['PRIMARY KEY (id)', 'UNIQUE (date_id, product_id, country)']
  .map((c) => `ALTER TABLE ${COPY} ADD ${c}`)
  .concat(
    [
      '(date_id)',
      '(product_id)',
      '(country)',
      '(customer_id)',
      '(date_id, country)',
      '(total_revenue DESC)',
      '(country, product_id, date_id) INCLUDE (total_revenue, total_quantity, total_transactions)',
    ].map((columns) => `CREATE INDEX ON ${COPY} ${columns}`),
  )

/** One floor run: all of bronze, or the new month's dates (as the incremental build's scope would name them). */
export async function floorBuild(db: Db, what: 'all' | 'month'): Promise<void> {
  await db.transaction(async (tx) => {
    if (what === 'month') {
      await tx.exec(`CREATE TEMP TABLE assay_scope_days ON COMMIT DROP AS
        SELECT d::date AS day FROM generate_series(DATE '2012-01-01', DATE '2012-01-31', interval '1 day') d`)
    }
    await tx.exec(FACT_SOURCE(what === 'all' ? FULL_SCOPE : changedScope(NEW_MONTH_SPAN)))
    await tx.exec(`CREATE TABLE ${COPY} (LIKE silver.fact_sales_daily INCLUDING DEFAULTS)`)
    await tx.exec(`INSERT INTO ${COPY}
        (date_id, product_id, country, customer_id, total_transactions, total_quantity, total_revenue, avg_unit_price)
      SELECT date_id, product_id, country, customer_id, total_transactions, total_quantity, total_revenue, avg_unit_price
      FROM assay_fact_src`)
    for (const statement of INDEXES) await tx.exec(statement)
  })
}

/** Drops the floor's copy (not timed). */
export async function dropFloor(db: Db): Promise<void> {
  await db.exec(`DROP TABLE IF EXISTS ${COPY}`)
}
