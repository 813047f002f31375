-- a type for rent amounts
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
-- expect: ban-create-domain-with-constraint
CREATE DOMAIN rent_amount AS numeric CHECK (VALUE >= 0);

-- migrate:downgrade
DROP DOMAIN rent_amount;
