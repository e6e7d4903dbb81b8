#!/bin/sh
# The role the app connects as (db-migrations/V15 grants it what it may do; the owner runs the migrations). Its
# password comes from the environment, as the owner's does: the demo's published one unless .env sets another.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v app_password="${HOMEWARD_PG_APP_PASSWORD:-homeward_app}" <<'SQL'
CREATE ROLE homeward_app LOGIN PASSWORD :'app_password';
ALTER ROLE homeward_app SET plan_cache_mode = force_custom_plan;
SQL
