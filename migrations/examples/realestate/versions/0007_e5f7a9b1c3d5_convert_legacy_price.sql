-- convert legacy_price to purchase_price
--
-- "1,250,000.00" in the text column becomes 1250000.00 in the numeric
-- one; empty strings become NULL. The text column stays until the data
-- is checked.
--
-- Revision ID: e5f7a9b1c3d5
-- Revises: d9e1f3a5b7c9
-- Create Date: 2026-11-24 09:50:00.000000

-- migrate:upgrade
UPDATE properties
   SET purchase_price = CAST(REPLACE(TRIM(legacy_price), ',', '') AS numeric(12, 2))
 WHERE legacy_price IS NOT NULL AND TRIM(legacy_price) <> '';

-- migrate:downgrade
UPDATE properties SET purchase_price = NULL;
