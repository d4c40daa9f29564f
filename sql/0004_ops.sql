-- Ops: processing state, checkpoints, structured logs and runs.
-- Every column the session-3 seed lists is here with its type; Assay's additions are added with
-- ADD COLUMN IF NOT EXISTS so a database initialised by the seed's own scripts is upgraded in place.
CREATE SCHEMA IF NOT EXISTS ops;

-- One row per month of gold.fact_sales_monthly: the idempotency record.
CREATE TABLE IF NOT EXISTS ops.processed_months (
    id SERIAL PRIMARY KEY,
    month_key VARCHAR(7) NOT NULL,
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    processed_at TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    status VARCHAR(20) NOT NULL DEFAULT 'in_progress'
);
ALTER TABLE ops.processed_months
    ADD COLUMN IF NOT EXISTS run_id VARCHAR(50),
    ADD COLUMN IF NOT EXISTS started_at TIMESTAMP,
    ADD COLUMN IF NOT EXISTS duration_ms INTEGER,
    ADD COLUMN IF NOT EXISTS attempts INTEGER,
    ADD COLUMN IF NOT EXISTS host VARCHAR(255),
    ADD COLUMN IF NOT EXISTS error TEXT,
    ADD COLUMN IF NOT EXISTS sqlstate VARCHAR(5),
    -- the silver input this month was computed from (its fingerprint) and the silver version it saw
    ADD COLUMN IF NOT EXISTS silver_version BIGINT,
    ADD COLUMN IF NOT EXISTS silver_rows BIGINT,
    ADD COLUMN IF NOT EXISTS silver_revenue NUMERIC(18,2),
    ADD COLUMN IF NOT EXISTS silver_quantity BIGINT,
    ADD COLUMN IF NOT EXISTS silver_transactions BIGINT;
CREATE UNIQUE INDEX IF NOT EXISTS processed_months_month_key_key ON ops.processed_months (month_key);
CREATE INDEX IF NOT EXISTS processed_months_year_month_idx ON ops.processed_months (year, month);

-- Per-month change tracking of silver.fact_sales_daily, kept by statement-level triggers: a month whose
-- version moved since it was processed is stale. Reading it costs one small table, not a scan of silver.
CREATE TABLE IF NOT EXISTS ops.silver_months (
    yyyymm INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    row_count BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    changed_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE OR REPLACE FUNCTION ops.track_silver_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ops.silver_months AS s (yyyymm, year, month, row_count, version, changed_at)
    SELECT m, m / 100, m % 100, count(*), 1, CURRENT_TIMESTAMP
    FROM (SELECT date_id / 100 AS m FROM new_rows) d GROUP BY m ORDER BY m
    ON CONFLICT (yyyymm) DO UPDATE
        SET row_count = s.row_count + EXCLUDED.row_count, version = s.version + 1, changed_at = EXCLUDED.changed_at;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ops.track_silver_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ops.silver_months AS s (yyyymm, year, month, row_count, version, changed_at)
    SELECT m, m / 100, m % 100, sum(delta), 1, CURRENT_TIMESTAMP
    FROM (
        SELECT date_id / 100 AS m, 1 AS delta FROM new_rows
        UNION ALL
        SELECT date_id / 100 AS m, -1 AS delta FROM old_rows
    ) d
    GROUP BY m ORDER BY m
    ON CONFLICT (yyyymm) DO UPDATE
        SET row_count = s.row_count + EXCLUDED.row_count, version = s.version + 1, changed_at = EXCLUDED.changed_at;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ops.track_silver_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE ops.silver_months s
    SET row_count = s.row_count - d.n, version = s.version + 1, changed_at = CURRENT_TIMESTAMP
    FROM (SELECT date_id / 100 AS m, count(*) AS n FROM old_rows GROUP BY date_id / 100) d
    WHERE s.yyyymm = d.m;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ops.track_silver_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE ops.silver_months SET row_count = 0, version = version + 1, changed_at = CURRENT_TIMESTAMP;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS assay_track_insert ON silver.fact_sales_daily;
CREATE TRIGGER assay_track_insert AFTER INSERT ON silver.fact_sales_daily
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ops.track_silver_insert();
DROP TRIGGER IF EXISTS assay_track_update ON silver.fact_sales_daily;
CREATE TRIGGER assay_track_update AFTER UPDATE ON silver.fact_sales_daily
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ops.track_silver_update();
DROP TRIGGER IF EXISTS assay_track_delete ON silver.fact_sales_daily;
CREATE TRIGGER assay_track_delete AFTER DELETE ON silver.fact_sales_daily
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ops.track_silver_delete();
DROP TRIGGER IF EXISTS assay_track_truncate ON silver.fact_sales_daily;
CREATE TRIGGER assay_track_truncate AFTER TRUNCATE ON silver.fact_sales_daily
    FOR EACH STATEMENT EXECUTE FUNCTION ops.track_silver_truncate();

-- Silver that existed before Assay was installed: record what is there now.
INSERT INTO ops.silver_months (yyyymm, year, month, row_count)
SELECT m, m / 100, m % 100, count(*)
FROM (SELECT date_id / 100 AS m FROM silver.fact_sales_daily) d GROUP BY m
ON CONFLICT (yyyymm) DO NOTHING;

-- Stage checkpoints (seed columns, plus created_at/updated_at, which the seed's queries use).
CREATE TABLE IF NOT EXISTS ops.pipeline_checkpoint (
    id SERIAL PRIMARY KEY,
    pipeline_name VARCHAR(100) NOT NULL,
    run_id VARCHAR(50) NOT NULL,
    stage VARCHAR(100) NOT NULL,
    checkpoint_key VARCHAR(255),
    checkpoint_value VARCHAR(255),
    status VARCHAR(20) NOT NULL,
    start_time TIMESTAMP,
    end_time TIMESTAMP,
    duration_ms INTEGER,
    metadata JSONB
);
ALTER TABLE ops.pipeline_checkpoint
    ADD COLUMN IF NOT EXISTS created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    ADD COLUMN IF NOT EXISTS updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP;
CREATE UNIQUE INDEX IF NOT EXISTS pipeline_checkpoint_run_stage_key ON ops.pipeline_checkpoint (run_id, stage, checkpoint_key);
CREATE INDEX IF NOT EXISTS pipeline_checkpoint_updated_idx ON ops.pipeline_checkpoint (updated_at DESC);
CREATE INDEX IF NOT EXISTS pipeline_checkpoint_status_stage_idx ON ops.pipeline_checkpoint (status, stage);
CREATE INDEX IF NOT EXISTS pipeline_checkpoint_pipeline_idx ON ops.pipeline_checkpoint (pipeline_name);

-- Structured logs, one row per record, in the seed's shape.
CREATE TABLE IF NOT EXISTS ops.pipeline_logs (
    id BIGSERIAL PRIMARY KEY,
    timestamp TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    level VARCHAR(10) NOT NULL,
    message TEXT NOT NULL,
    logger VARCHAR(100),
    pipeline_name VARCHAR(100),
    run_id VARCHAR(50),
    module VARCHAR(100),
    function VARCHAR(100),
    line INTEGER,
    metadata JSONB
);
CREATE INDEX IF NOT EXISTS pipeline_logs_timestamp_idx ON ops.pipeline_logs (timestamp DESC);
CREATE INDEX IF NOT EXISTS pipeline_logs_run_idx ON ops.pipeline_logs (run_id, id);
CREATE INDEX IF NOT EXISTS pipeline_logs_level_idx ON ops.pipeline_logs (level, id DESC);
CREATE INDEX IF NOT EXISTS pipeline_logs_pipeline_idx ON ops.pipeline_logs (pipeline_name, id DESC);

-- One row per run of either pipeline: what the console's run history lists.
CREATE TABLE IF NOT EXISTS ops.pipeline_runs (
    run_id VARCHAR(50) PRIMARY KEY,
    pipeline_name VARCHAR(100) NOT NULL,
    pipeline VARCHAR(20) NOT NULL,
    trigger VARCHAR(20) NOT NULL,
    args JSONB NOT NULL DEFAULT '{}',
    host VARCHAR(255),
    pid INTEGER,
    status VARCHAR(20) NOT NULL,
    started_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    ended_at TIMESTAMP,
    duration_ms INTEGER,
    planned JSONB NOT NULL DEFAULT '[]',
    done JSONB NOT NULL DEFAULT '[]',
    skipped JSONB NOT NULL DEFAULT '[]',
    failed JSONB NOT NULL DEFAULT '[]',
    retries INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    sqlstate VARCHAR(5),
    resumed_from VARCHAR(50),
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT pipeline_runs_status_check CHECK (status IN ('running', 'completed', 'failed', 'cancelled', 'interrupted'))
);
CREATE INDEX IF NOT EXISTS pipeline_runs_started_idx ON ops.pipeline_runs (started_at DESC);
CREATE INDEX IF NOT EXISTS pipeline_runs_status_idx ON ops.pipeline_runs (status);

-- Live updates: one NOTIFY per statement on the ops tables, so consoles see work done anywhere
-- (another console, a CLI in cron). The payload names the table; listeners re-read what changed.
CREATE OR REPLACE FUNCTION ops.notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('assay_ops', TG_TABLE_NAME);
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS assay_notify ON ops.processed_months;
CREATE TRIGGER assay_notify AFTER INSERT OR UPDATE OR DELETE ON ops.processed_months
    FOR EACH STATEMENT EXECUTE FUNCTION ops.notify_change();
DROP TRIGGER IF EXISTS assay_notify ON ops.pipeline_checkpoint;
CREATE TRIGGER assay_notify AFTER INSERT OR UPDATE OR DELETE ON ops.pipeline_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION ops.notify_change();
DROP TRIGGER IF EXISTS assay_notify ON ops.pipeline_logs;
CREATE TRIGGER assay_notify AFTER INSERT ON ops.pipeline_logs
    FOR EACH STATEMENT EXECUTE FUNCTION ops.notify_change();
DROP TRIGGER IF EXISTS assay_notify ON ops.pipeline_runs;
CREATE TRIGGER assay_notify AFTER INSERT OR UPDATE OR DELETE ON ops.pipeline_runs
    FOR EACH STATEMENT EXECUTE FUNCTION ops.notify_change();
