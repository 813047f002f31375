-- rent amounts are positive
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
-- expect: ban-alter-domain-with-add-constraint
ALTER DOMAIN rent_amount ADD CONSTRAINT rent_amount_positive
    CHECK (VALUE > 0);

-- migrate:downgrade
ALTER DOMAIN rent_amount DROP CONSTRAINT rent_amount_positive;
