-- Incremental silver: statement-level triggers on bronze record which dates and stock codes any writer changed
-- (Assay's ingest, the course's ingestion step, psql by hand), so `assay silver` re-aggregates only those dates
-- and re-derives only those products. The log is append-only (duplicates allowed, no unique key): a writer never
-- waits on another writer's or a build's log rows, and a build deletes only the rows it could see, so a change
-- committed while it runs stays logged for the next build.
CREATE TABLE IF NOT EXISTS ops.bronze_changed_dates (
    day DATE NOT NULL
);
CREATE TABLE IF NOT EXISTS ops.bronze_changed_codes (
    stockcode VARCHAR(20) NOT NULL
);

-- One row: whether silver was ever built with the log in place. Until then (a new install, an upgraded database
-- whose silver another tool built) and after a TRUNCATE of bronze, the next build is a full one.
CREATE TABLE IF NOT EXISTS ops.silver_build_state (
    id BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
    full_needed BOOLEAN NOT NULL DEFAULT TRUE,
    built_at TIMESTAMP,
    mode VARCHAR(20)
);

CREATE OR REPLACE FUNCTION ops.log_bronze_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ops.bronze_changed_dates (day)
    SELECT DISTINCT invoicedate::date FROM new_rows WHERE invoicedate IS NOT NULL;
    INSERT INTO ops.bronze_changed_codes (stockcode)
    SELECT DISTINCT stockcode FROM new_rows WHERE stockcode IS NOT NULL;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ops.log_bronze_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ops.bronze_changed_dates (day)
    SELECT DISTINCT invoicedate::date FROM old_rows WHERE invoicedate IS NOT NULL;
    INSERT INTO ops.bronze_changed_codes (stockcode)
    SELECT DISTINCT stockcode FROM old_rows WHERE stockcode IS NOT NULL;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ops.log_bronze_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ops.silver_build_state (id, full_needed) VALUES (TRUE, TRUE)
    ON CONFLICT (id) DO UPDATE SET full_needed = TRUE;
    RETURN NULL;
END $$;

-- An UPDATE logs both sides (a line can move to another date or stock code): two triggers, old and new rows.
DROP TRIGGER IF EXISTS assay_log_insert ON bronze.raw_transactions;
CREATE TRIGGER assay_log_insert AFTER INSERT ON bronze.raw_transactions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ops.log_bronze_new();
DROP TRIGGER IF EXISTS assay_log_update_new ON bronze.raw_transactions;
CREATE TRIGGER assay_log_update_new AFTER UPDATE ON bronze.raw_transactions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ops.log_bronze_new();
DROP TRIGGER IF EXISTS assay_log_update_old ON bronze.raw_transactions;
CREATE TRIGGER assay_log_update_old AFTER UPDATE ON bronze.raw_transactions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ops.log_bronze_old();
DROP TRIGGER IF EXISTS assay_log_delete ON bronze.raw_transactions;
CREATE TRIGGER assay_log_delete AFTER DELETE ON bronze.raw_transactions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ops.log_bronze_old();
DROP TRIGGER IF EXISTS assay_log_truncate ON bronze.raw_transactions;
CREATE TRIGGER assay_log_truncate AFTER TRUNCATE ON bronze.raw_transactions
    FOR EACH STATEMENT EXECUTE FUNCTION ops.log_bronze_truncate();
