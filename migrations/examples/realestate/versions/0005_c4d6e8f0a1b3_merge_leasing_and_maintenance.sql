-- merge leasing and maintenance
--
-- Revision ID: c4d6e8f0a1b3
-- Revises: a7b3c9d1e2f4, b2e8f0a4c6d3
-- Create Date: 2026-11-24 09:30:00.000000

-- migrate:upgrade

-- migrate:downgrade
