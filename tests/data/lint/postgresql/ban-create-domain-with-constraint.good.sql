-- a type for rent amounts, checked where it is used
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
CREATE DOMAIN rent_amount AS numeric;

-- migrate:downgrade
DROP DOMAIN rent_amount;
