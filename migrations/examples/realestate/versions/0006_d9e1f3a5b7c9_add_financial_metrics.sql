-- add property financial metrics
--
-- Revision ID: d9e1f3a5b7c9
-- Revises: c4d6e8f0a1b3
-- Create Date: 2026-11-24 09:40:00.000000
-- Branch Labels: financials

-- migrate:upgrade
ALTER TABLE properties ADD COLUMN purchase_price numeric(12, 2);
ALTER TABLE properties ADD COLUMN cap_rate numeric(5, 4)
    CHECK (cap_rate >= 0 AND cap_rate <= 1);
ALTER TABLE properties ADD COLUMN cash_on_cash_return numeric(7, 4);
ALTER TABLE properties ADD COLUMN dscr numeric(6, 3);

-- migrate:downgrade
ALTER TABLE properties DROP COLUMN dscr;
ALTER TABLE properties DROP COLUMN cash_on_cash_return;
ALTER TABLE properties DROP COLUMN cap_rate;
ALTER TABLE properties DROP COLUMN purchase_price;
