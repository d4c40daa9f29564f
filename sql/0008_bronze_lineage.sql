-- Bronze lineage for lines Assay ingests: which file (bronze.ingested_files, by content hash) and which line of
-- it each bronze line came from; ingested_at already holds when. Lines written by other tools leave both NULL.
-- Nullable columns without a default: adding them rewrites nothing, and the contract's columns stay as they are.
ALTER TABLE bronze.raw_transactions
    ADD COLUMN IF NOT EXISTS source_line INTEGER,
    ADD COLUMN IF NOT EXISTS source_sha256 CHAR(64);

COMMENT ON COLUMN bronze.raw_transactions.source_line IS
    'Assay lineage: physical line (CSV, 1 = header) or sheet row (xlsx) of the source file; NULL when not ingested by Assay';
COMMENT ON COLUMN bronze.raw_transactions.source_sha256 IS
    'Assay lineage: SHA-256 of the source file, the key of bronze.ingested_files; NULL when not ingested by Assay';
