-- Log search: the console's Logs view finds text anywhere in a record's message or metadata, case-insensitively,
-- as a literal substring (ILIKE with the wildcards escaped). A scan of 1M records takes seconds; pg_trgm's GIN
-- indexes answer ILIKE '%word%' from trigrams, so a rare word is found in milliseconds.
-- Measured on 1M rows (bench/RESULTS.md): search 3.5 s → < 1 ms. The price is paid on writes: each record adds
-- its trigrams to two GIN indexes (fastupdate keeps that a pending-list append; VACUUM merges it).
-- pg_trgm is a trusted extension (PostgreSQL 13+): a database owner can create it without superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX IF NOT EXISTS pipeline_logs_message_trgm_idx
    ON ops.pipeline_logs USING gin (message gin_trgm_ops);

-- An expression index, so the search condition must say exactly `metadata::text` to use it.
CREATE INDEX IF NOT EXISTS pipeline_logs_metadata_trgm_idx
    ON ops.pipeline_logs USING gin ((metadata::text) gin_trgm_ops);
