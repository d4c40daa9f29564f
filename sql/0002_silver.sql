-- Silver: the star schema of the upstream contract.
CREATE SCHEMA IF NOT EXISTS silver;

CREATE TABLE IF NOT EXISTS silver.dim_date (
    date_id INTEGER PRIMARY KEY,
    date DATE NOT NULL UNIQUE,
    day INTEGER NOT NULL,
    day_of_week INTEGER NOT NULL,
    month INTEGER NOT NULL,
    quarter INTEGER NOT NULL,
    year INTEGER NOT NULL,
    day_name VARCHAR(10) NOT NULL,
    month_name VARCHAR(10) NOT NULL,
    is_weekend BOOLEAN NOT NULL,
    is_holiday BOOLEAN DEFAULT FALSE,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS silver.dim_product (
    product_id SERIAL PRIMARY KEY,
    stock_code VARCHAR(20) NOT NULL UNIQUE,
    description VARCHAR(255) NOT NULL,
    category VARCHAR(100),
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS silver.fact_sales_daily (
    id SERIAL PRIMARY KEY,
    date_id INTEGER NOT NULL REFERENCES silver.dim_date(date_id),
    product_id INTEGER NOT NULL REFERENCES silver.dim_product(product_id),
    country VARCHAR(100) NOT NULL,
    customer_id INTEGER,
    total_transactions INTEGER NOT NULL,
    total_quantity INTEGER NOT NULL,
    total_revenue DECIMAL(15,2) NOT NULL,
    avg_unit_price DECIMAL(10,2) NOT NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (date_id, product_id, country)
);

CREATE INDEX IF NOT EXISTS idx_fact_sales_daily_date ON silver.fact_sales_daily (date_id);
CREATE INDEX IF NOT EXISTS idx_fact_sales_daily_product ON silver.fact_sales_daily (product_id);
CREATE INDEX IF NOT EXISTS idx_fact_sales_daily_country ON silver.fact_sales_daily (country);
CREATE INDEX IF NOT EXISTS idx_fact_sales_daily_customer ON silver.fact_sales_daily (customer_id);
CREATE INDEX IF NOT EXISTS idx_fact_sales_daily_date_country ON silver.fact_sales_daily (date_id, country);
CREATE INDEX IF NOT EXISTS idx_fact_sales_daily_revenue ON silver.fact_sales_daily (total_revenue DESC);

-- The modelling step keeps updated_at current with a BEFORE UPDATE trigger; add ours only where none exists.
CREATE OR REPLACE FUNCTION silver.assay_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := CURRENT_TIMESTAMP;
    RETURN NEW;
END $$;

DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_trigger t
        WHERE t.tgrelid = 'silver.fact_sales_daily'::regclass
          AND NOT t.tgisinternal
          AND (t.tgtype & 2) = 2   -- BEFORE
          AND (t.tgtype & 16) = 16 -- UPDATE
    ) THEN
        CREATE TRIGGER assay_touch_updated_at BEFORE UPDATE ON silver.fact_sales_daily
            FOR EACH ROW EXECUTE FUNCTION silver.assay_touch_updated_at();
    END IF;
END $$;
