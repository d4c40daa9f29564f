-- "Explain this number" reads a level a page at a time; these indexes keep its first page fast at scale 10.
-- Bronze: the lines behind one silver row (a stock code on a day, in a country). Without it every bronze level is a
-- sequential scan of bronze.raw_transactions.
CREATE INDEX IF NOT EXISTS assay_raw_transactions_explain_idx
    ON bronze.raw_transactions (stockcode, invoicedate);

-- Silver: a country's rows by product (its breakdown streams in product order and stops after a page; its
-- reconciliation sums the country from the index alone) and a country's rows of one product in date order.
CREATE INDEX IF NOT EXISTS assay_fact_sales_daily_country_product_idx
    ON silver.fact_sales_daily (country, product_id, date_id)
    INCLUDE (total_revenue, total_quantity, total_transactions);
