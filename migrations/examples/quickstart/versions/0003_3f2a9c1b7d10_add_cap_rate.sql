-- add property financial metrics
--
-- Revision ID: 3f2a9c1b7d10
-- Revises: 9b1c0d2e4f56
-- Create Date: 2026-11-24 09:20:00.000000
-- Branch Labels: financials

-- migrate:upgrade
ALTER TABLE properties ADD COLUMN cap_rate numeric(5, 4);

-- migrate:downgrade
ALTER TABLE properties DROP COLUMN cap_rate;
