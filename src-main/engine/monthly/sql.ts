/**
 * The monthly pipeline's SQL, in one place. Every statement touches one month's silver rows through a range on
 * `date_id` (yyyymmdd), which the date_id index serves: a month costs the same whether silver holds one year or ten.
 */

/** The gold columns Assay computes, in table order. cancelled_* are not in silver and keep their defaults. */
export const GOLD_COLUMNS = [
  'total_revenue',
  'total_quantity',
  'total_transactions',
  'total_products',
  'total_countries',
  'avg_revenue_per_transaction',
  'avg_quantity_per_transaction',
  'unique_customers',
] as const
export type GoldColumn = (typeof GOLD_COLUMNS)[number]

/**
 * The gold columns of one month, aggregated from silver rows `f` per the contract and cast to the gold column
 * types (so a value compares with the stored one exactly). Shared with the benchmark's floor.
 * unique_customers is COUNT(DISTINCT customer_id): the contract says "distinct customer_id values", and silver
 * writes -1 for "no customer", so -1 counts as one value, taken literally (NULL, if any, is not a value).
 */
export const GOLD_AGGREGATES = `
         COALESCE(sum(f.total_revenue), 0)::numeric(15,2) AS total_revenue,
         COALESCE(sum(f.total_quantity), 0)::int8 AS total_quantity,
         COALESCE(sum(f.total_transactions), 0)::int4 AS total_transactions,
         count(DISTINCT f.product_id)::int4 AS total_products,
         count(DISTINCT f.country)::int4 AS total_countries,
         (CASE WHEN COALESCE(sum(f.total_transactions), 0) = 0 THEN 0
               ELSE round(sum(f.total_revenue) / sum(f.total_transactions), 2) END)::numeric(15,2)
           AS avg_revenue_per_transaction,
         (CASE WHEN COALESCE(sum(f.total_transactions), 0) = 0 THEN 0
               ELSE round(sum(f.total_quantity)::numeric / sum(f.total_transactions), 2) END)::numeric(10,2)
           AS avg_quantity_per_transaction,
         count(DISTINCT f.customer_id)::int4 AS unique_customers`

/** One month of silver ($1/$2 = first/last date_id): its gold columns, plus the fingerprint of the input (row count and raw sums). */
const AGGREGATE = `
  SELECT count(*)::int8 AS silver_rows,
         COALESCE(sum(f.total_revenue), 0)::numeric(18,2) AS fp_revenue,
         COALESCE(sum(f.total_transactions), 0)::int8 AS fp_transactions,${GOLD_AGGREGATES}
  FROM silver.fact_sales_daily f
  WHERE f.date_id BETWEEN $1::int AND $2::int`

const gold = (prefix: string) => GOLD_COLUMNS.map((c) => `${prefix}${c}`).join(', ')

/**
 * The month's whole write, one statement: aggregate, upsert gold (updated_at moves only when a value changed),
 * mark the month completed with its fingerprint and the silver version seen in the same snapshot, and close its
 * checkpoint (the row ops/checkpoints.ts endCheckpoint writes, inlined to keep a month at one statement).
 * $1/$2 date_id range, $3 yyyymm, $4 month key, $5 year, $6 month, $7 run id, $8 attempts, $9 host,
 * $10 pipeline name, $11 stage, $12 an injected delay in ms (0 in production; see faults.ts): the statement
 * sleeps that long before it aggregates, so fault injection runs this very statement, not another path.
 * processed_at is when the aggregation finished (clock time, not transaction start), so a forced run that began
 * while this month was being computed counts it as done after its own start.
 * Nothing is written when the month has no silver rows (the caller reports no_data).
 * `durable` makes this transaction's commit wait for the WAL flush, whatever the session's synchronous_commit
 * (the runner's bookkeeping commits skip it; see RunnerSession) — set here to save a round trip.
 */
export const UPSERT_MONTH = {
  name: 'monthly/upsert',
  text: `
WITH pause AS (SELECT count(*) AS slept FROM (SELECT pg_sleep($12::int / 1000.0) WHERE $12::int > 0) s),
agg AS (SELECT g.* FROM pause, LATERAL (${AGGREGATE}) g),
durable AS (SELECT set_config('synchronous_commit', 'on', true) AS setting),
ver AS (SELECT version, row_count FROM ops.silver_months WHERE yyyymm = $3::int),
up AS (
  INSERT INTO gold.fact_sales_monthly AS g (year, month, ${gold('')}, created_at, updated_at)
  SELECT $5::int, $6::int, ${gold('a.')}, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
  FROM agg a WHERE a.silver_rows > 0
  ON CONFLICT (year, month) DO UPDATE
  SET ${GOLD_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, updated_at = EXCLUDED.updated_at
  WHERE (${gold('g.')}) IS DISTINCT FROM (${gold('EXCLUDED.')})
  RETURNING (g.xmax = 0) AS inserted
),
result AS (
  SELECT a.*, COALESCE(v.version, 0) AS version, v.row_count AS tracked_rows,
         CASE WHEN NOT EXISTS (SELECT 1 FROM up) THEN 'unchanged'
              WHEN (SELECT inserted FROM up) THEN 'insert' ELSE 'update' END AS action
  FROM agg a LEFT JOIN ver v ON true
),
mark AS (
  INSERT INTO ops.processed_months AS p (month_key, year, month, status, processed_at, updated_at, run_id, started_at,
      duration_ms, attempts, host, error, sqlstate, silver_version, silver_rows, silver_revenue, silver_quantity,
      silver_transactions)
  SELECT $4, $5::int, $6::int, 'completed', clock_timestamp()::timestamp, CURRENT_TIMESTAMP, $7, CURRENT_TIMESTAMP, 0,
         $8::int, $9,
         NULL, NULL, r.version, r.silver_rows, r.fp_revenue, r.total_quantity, r.fp_transactions
  FROM result r WHERE r.silver_rows > 0
  ON CONFLICT (month_key) DO UPDATE
  SET status = 'completed', processed_at = EXCLUDED.processed_at, updated_at = EXCLUDED.updated_at,
      run_id = EXCLUDED.run_id, attempts = EXCLUDED.attempts, host = EXCLUDED.host, error = NULL, sqlstate = NULL,
      duration_ms = GREATEST(0, EXTRACT(EPOCH FROM (clock_timestamp()::timestamp - COALESCE(p.started_at, EXCLUDED.started_at))) * 1000)::int,
      silver_version = EXCLUDED.silver_version, silver_rows = EXCLUDED.silver_rows,
      silver_revenue = EXCLUDED.silver_revenue, silver_quantity = EXCLUDED.silver_quantity,
      silver_transactions = EXCLUDED.silver_transactions
  RETURNING p.duration_ms
),
checkpoint AS (
  INSERT INTO ops.pipeline_checkpoint AS c (pipeline_name, run_id, stage, checkpoint_key, checkpoint_value, status,
      start_time, end_time, duration_ms, metadata, created_at, updated_at)
  SELECT $10, $7, $11, $4, 'rows=' || r.silver_rows, 'completed', CURRENT_TIMESTAMP, clock_timestamp()::timestamp, 0,
         jsonb_build_object('rows', r.silver_rows, 'revenue', r.fp_revenue, 'attempts', $8::int, 'action', r.action,
                            'silver_version', r.version),
         CURRENT_TIMESTAMP, clock_timestamp()::timestamp
  FROM result r WHERE r.silver_rows > 0
  ON CONFLICT (run_id, stage, checkpoint_key) DO UPDATE
  SET status = EXCLUDED.status, checkpoint_value = EXCLUDED.checkpoint_value, end_time = clock_timestamp()::timestamp,
      duration_ms = GREATEST(0, (EXTRACT(EPOCH FROM (clock_timestamp()::timestamp - c.start_time)) * 1000)::int),
      metadata = COALESCE(c.metadata, '{}'::jsonb) || EXCLUDED.metadata, updated_at = clock_timestamp()::timestamp
  RETURNING 1
)
SELECT r.silver_rows, r.fp_revenue, r.total_quantity, r.fp_transactions, r.version, r.tracked_rows, r.action,
       (SELECT duration_ms FROM mark) AS duration_ms,
       (SELECT count(*) FROM checkpoint)::int AS checkpointed,
       (SELECT setting FROM durable) AS synchronous_commit
FROM result r`,
}

export interface UpsertResult {
  silver_rows: number
  fp_revenue: string
  total_quantity: number
  fp_transactions: number
  version: number
  tracked_rows: number | null
  action: 'insert' | 'update' | 'unchanged'
  duration_ms: number | null
  checkpointed: number
  synchronous_commit: string
}

/** Old gold row and new values side by side, for the dry-run diff. $1/$2 date_id range, $3 year, $4 month. */
export const DIFF_MONTH = {
  name: 'monthly/diff',
  text: `
WITH agg AS (${AGGREGATE})
SELECT a.silver_rows, (g.id IS NOT NULL) AS exists, ${gold('a.')},
       ${GOLD_COLUMNS.map((c) => `g.${c} AS old_${c}`).join(', ')}
FROM agg a LEFT JOIN gold.fact_sales_monthly g ON g.year = $3::int AND g.month = $4::int`,
}
