-- Log search, cheaper to write: the metadata is searched by its words, not as a substring of its JSON text.
-- The trigram index on metadata::text (sql/0005) cost the log sink nearly half its speed: a sink record's JSON
-- text has ~72 trigrams (keys and punctuation included), its string and numeric values 7 words. Measured in psql
-- (medians of 3), 200k sink-shaped records in 2,000-row INSERTs into this table with its btree indexes:
--   no search index 66k records/s; trigrams on message and metadata::text 14k; trigrams on message only 25k;
--   + this index on the metadata's string and numeric values 23k; + keys and booleans as well 18.5k.
-- Keys and booleans are left out at that price (the sink's target is 20k/s).
-- The message keeps its trigram index and is still searched as a literal substring. The metadata matches when
-- the search's words occur in one value, consecutively, the last as a prefix: engine/logs/filter.ts builds that
-- query with the same parser. It stays indexed: a scan of 1M records takes seconds (the search target is 1 s).
-- An expression index: the search condition must say exactly the expression below to use it.
DROP INDEX IF EXISTS ops.pipeline_logs_metadata_trgm_idx;

CREATE INDEX IF NOT EXISTS pipeline_logs_metadata_words_idx
    ON ops.pipeline_logs USING gin (jsonb_to_tsvector('simple', metadata, '["string", "numeric"]'))
    WITH (gin_pending_list_limit = 32768);

-- New entries of both search indexes collect in a pending list that is merged into the index in bulk: by
-- (auto)vacuum, or by the writer that overflows it. A 32 MB list (default 4 MB) leaves more of that merging to
-- autovacuum: +8-10 % sink throughput in the same psql measurement (24k -> 26k records/s). The price is paid by
-- searches while the list is full: each reads it whole, ~250 ms at 32 MB (0.4 ms once merged), within the 1 s
-- search target.
ALTER INDEX ops.pipeline_logs_message_trgm_idx SET (gin_pending_list_limit = 32768);
