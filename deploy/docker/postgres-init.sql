-- The role the app connects as (db-migrations/V15 grants it what it may do; the owner homeward runs migrations).
-- Demo password, like the owner's: a production deployment sets both from secrets (docs/security.md).
CREATE ROLE homeward_app LOGIN PASSWORD 'homeward_app';
ALTER ROLE homeward_app SET plan_cache_mode = force_custom_plan;
