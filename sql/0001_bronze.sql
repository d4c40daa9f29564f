-- Bronze: raw Online Retail lines, exactly as the upstream contract defines them.
-- Created only if absent: a user's existing bronze table is left as it is.
CREATE SCHEMA IF NOT EXISTS bronze;

CREATE TABLE IF NOT EXISTS bronze.raw_transactions (
    id SERIAL PRIMARY KEY,
    invoiceno VARCHAR(10) NOT NULL,
    stockcode VARCHAR(20) NOT NULL,
    description VARCHAR(255),
    quantity INTEGER,
    invoicedate TIMESTAMP NOT NULL,
    unitprice DECIMAL(10,2),
    customerid VARCHAR(10),
    country VARCHAR(100),
    ingested_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    source_file VARCHAR(255)
);

-- Assay's own bookkeeping for ingest: one row per file (by content hash) and one per rejected line.
CREATE TABLE IF NOT EXISTS bronze.ingested_files (
    file_sha256 CHAR(64) PRIMARY KEY,
    file_name VARCHAR(255) NOT NULL,
    file_bytes BIGINT NOT NULL,
    rows_loaded INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    date_layout VARCHAR(20),
    ingested_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS bronze.rejected_lines (
    id BIGSERIAL PRIMARY KEY,
    file_sha256 CHAR(64) NOT NULL,
    file_name VARCHAR(255) NOT NULL,
    line_number INTEGER NOT NULL,
    reason TEXT NOT NULL,
    raw_line TEXT,
    rejected_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX IF NOT EXISTS rejected_lines_file_idx ON bronze.rejected_lines (file_sha256, line_number);
