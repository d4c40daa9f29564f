-- Gold: the aggregate tables Assay keeps correct (upstream contract).
CREATE SCHEMA IF NOT EXISTS gold;

CREATE TABLE IF NOT EXISTS gold.fact_sales_monthly (
    id BIGSERIAL PRIMARY KEY,
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    total_revenue NUMERIC(15,2) NOT NULL DEFAULT 0,
    total_quantity BIGINT NOT NULL DEFAULT 0,
    total_transactions INTEGER NOT NULL DEFAULT 0,
    total_products INTEGER NOT NULL DEFAULT 0,
    total_countries INTEGER NOT NULL DEFAULT 0,
    avg_revenue_per_transaction NUMERIC(15,2) NOT NULL DEFAULT 0,
    avg_quantity_per_transaction NUMERIC(10,2) NOT NULL DEFAULT 0,
    unique_customers INTEGER NOT NULL DEFAULT 0,
    cancelled_transactions INTEGER DEFAULT 0,
    cancelled_revenue NUMERIC(15,2) DEFAULT 0,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (year, month)
);

CREATE TABLE IF NOT EXISTS gold.fact_product_performance (
    id BIGSERIAL PRIMARY KEY,
    product_id INTEGER NOT NULL UNIQUE REFERENCES silver.dim_product(product_id),
    stock_code VARCHAR(50),
    description TEXT,
    category VARCHAR(100),
    total_revenue NUMERIC(15,2) NOT NULL DEFAULT 0,
    total_quantity BIGINT NOT NULL DEFAULT 0,
    total_transactions INTEGER NOT NULL DEFAULT 0,
    total_days_sold INTEGER NOT NULL DEFAULT 0,
    total_countries INTEGER NOT NULL DEFAULT 0,
    avg_revenue_per_day NUMERIC(15,2) NOT NULL DEFAULT 0,
    avg_quantity_per_day NUMERIC(10,2) NOT NULL DEFAULT 0,
    avg_revenue_per_transaction NUMERIC(15,2) NOT NULL DEFAULT 0,
    avg_quantity_per_transaction NUMERIC(10,2) NOT NULL DEFAULT 0,
    first_sale_date DATE,
    last_sale_date DATE,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS gold.fact_country_sales (
    id BIGSERIAL PRIMARY KEY,
    country VARCHAR(100) NOT NULL UNIQUE,
    total_revenue NUMERIC(15,2) NOT NULL DEFAULT 0,
    total_quantity BIGINT NOT NULL DEFAULT 0,
    total_transactions INTEGER NOT NULL DEFAULT 0,
    total_products INTEGER NOT NULL DEFAULT 0,
    total_days_active INTEGER NOT NULL DEFAULT 0,
    unique_customers INTEGER NOT NULL DEFAULT 0,
    avg_revenue_per_transaction NUMERIC(15,2) NOT NULL DEFAULT 0,
    avg_quantity_per_transaction NUMERIC(10,2) NOT NULL DEFAULT 0,
    top_product_id INTEGER,
    top_product_revenue NUMERIC(15,2),
    first_transaction_date DATE,
    last_transaction_date DATE,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

-- Daily totals with day-over-day change, kept by the modelling step. The percentage columns are wide on
-- purpose: the upstream NUMERIC(5,2) overflowed whenever a day's revenue was more than ten times the previous day's.
CREATE TABLE IF NOT EXISTS gold.fact_sales_daily_enhanced (
    id BIGSERIAL PRIMARY KEY,
    date_id INTEGER NOT NULL UNIQUE,
    date DATE NOT NULL,
    total_revenue NUMERIC(15,2) NOT NULL DEFAULT 0,
    total_quantity BIGINT NOT NULL DEFAULT 0,
    total_transactions INTEGER NOT NULL DEFAULT 0,
    prev_day_revenue NUMERIC(15,2),
    revenue_change NUMERIC(15,2),
    revenue_change_pct NUMERIC(12,2),
    quantity_change_pct NUMERIC(12,2),
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
