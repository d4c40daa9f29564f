-- Coexistence with the course's scripts, and the supported value window (engine/bounds.ts).

-- The seed's reliable_pipeline.py upserts checkpoints ON CONFLICT (pipeline_name, run_id, stage, checkpoint_key):
-- that needs a unique index on exactly those columns. Assay's own (run_id, stage, checkpoint_key) stays (its
-- upserts name it); being narrower, it already implies this one, so existing rows cannot violate it.
CREATE UNIQUE INDEX IF NOT EXISTS pipeline_checkpoint_seed_key
    ON ops.pipeline_checkpoint (pipeline_name, run_id, stage, checkpoint_key);

-- Log records back-filled from the spool file (engine/log/spool.ts) carry the id they were spooled with in
-- metadata.spool_id, so a back-fill that is interrupted and repeated inserts each record once. An expression
-- index rather than a new column: the table keeps exactly the seed's columns (its `SELECT *` queries see the same
-- shape), and records written directly have no spool_id, so the partial index costs the log sink nothing.
CREATE UNIQUE INDEX IF NOT EXISTS pipeline_logs_spool_id_key ON ops.pipeline_logs ((metadata ->> 'spool_id'))
    WHERE metadata ? 'spool_id';

-- No silver row may sit outside the supported date window, where monthly, verify and status cannot see it.
-- NOT VALID first (a user's existing rows are never rewritten or refused by the migration), then validated when
-- the rows allow it; `assay status` and `assay verify` name the months outside the window if they do not.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'fact_sales_daily_date_id_window'
                   AND conrelid = 'silver.fact_sales_daily'::regclass) THEN
        ALTER TABLE silver.fact_sales_daily ADD CONSTRAINT fact_sales_daily_date_id_window
            CHECK (date_id BETWEEN 19900101 AND 21001231) NOT VALID;
    END IF;
    BEGIN
        ALTER TABLE silver.fact_sales_daily VALIDATE CONSTRAINT fact_sales_daily_date_id_window;
    EXCEPTION WHEN check_violation THEN
        RAISE NOTICE 'silver.fact_sales_daily holds rows outside 1990-01-01..2100-12-31; the constraint stays NOT VALID';
    END;
END $$;
