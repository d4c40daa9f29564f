-- Incremental dim_product without a scan of bronze: a product's description is the one most of its bronze lines
-- carry, so the build keeps how many lines carry each (stock code, description) and the bronze triggers log the
-- change to those counts (+n for lines written, -n for lines removed, both for an UPDATE). A build folds the log
-- into the counts in one statement (the rows it deletes are exactly the rows it adds), then re-derives only the
-- stock codes the log named — from the counts, not from bronze. A missing description is counted as ''.
CREATE TABLE IF NOT EXISTS ops.bronze_changed_products (
    stockcode VARCHAR(20) NOT NULL,
    description VARCHAR(255) NOT NULL,
    lines BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS ops.silver_product_counts (
    stockcode VARCHAR(20) NOT NULL,
    description VARCHAR(255) NOT NULL,
    lines BIGINT NOT NULL,
    PRIMARY KEY (stockcode, description)
);

-- One function for both sides: the trigger says which side its transition table (changed_rows) is, +1 or -1.
CREATE OR REPLACE FUNCTION ops.log_bronze_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ops.bronze_changed_dates (day)
    SELECT DISTINCT invoicedate::date FROM changed_rows WHERE invoicedate IS NOT NULL;
    INSERT INTO ops.bronze_changed_products (stockcode, description, lines)
    SELECT stockcode, COALESCE(description, ''), TG_ARGV[0]::int * count(*) FROM changed_rows
    WHERE stockcode IS NOT NULL GROUP BY 1, 2;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS assay_log_insert ON bronze.raw_transactions;
CREATE TRIGGER assay_log_insert AFTER INSERT ON bronze.raw_transactions
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION ops.log_bronze_lines('1');
DROP TRIGGER IF EXISTS assay_log_update_new ON bronze.raw_transactions;
CREATE TRIGGER assay_log_update_new AFTER UPDATE ON bronze.raw_transactions
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION ops.log_bronze_lines('1');
DROP TRIGGER IF EXISTS assay_log_update_old ON bronze.raw_transactions;
CREATE TRIGGER assay_log_update_old AFTER UPDATE ON bronze.raw_transactions
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION ops.log_bronze_lines('-1');
DROP TRIGGER IF EXISTS assay_log_delete ON bronze.raw_transactions;
CREATE TRIGGER assay_log_delete AFTER DELETE ON bronze.raw_transactions
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION ops.log_bronze_lines('-1');
DROP FUNCTION IF EXISTS ops.log_bronze_new(), ops.log_bronze_old();

-- The stock-code log is replaced by the counts' log.
DROP TABLE IF EXISTS ops.bronze_changed_codes;

-- The counts start empty: the next build is a full one, which fills them.
DELETE FROM ops.silver_build_state;
