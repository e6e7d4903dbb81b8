-- The app runs as its own role (HOMEWARD_PG_APP_USER, deploy/lib/postgres.sh creates it), not as the owner that
-- runs these migrations: it reads and writes the data, but only SELECT and INSERT on the audit trail, and as a
-- non-owner it cannot disable the audit triggers, alter or truncate the table (docs/security.md). Where the app and
-- the migrations share one role (${app_role} is the owner), nothing is granted or revoked.
DO $grants$
BEGIN
    IF '${app_role}' = current_user THEN
        RAISE NOTICE 'the app connects as the owner %: no separate app role to grant to', current_user;
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${app_role}') THEN
        RAISE EXCEPTION 'role ${app_role} does not exist: create it (deploy/lib/postgres.sh install does) or set HOMEWARD_PG_APP_USER';
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', '${app_role}');
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', '${app_role}');
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', '${app_role}');
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM %I', '${app_role}');
    EXECUTE format('REVOKE ALL ON flyway_schema_history FROM %I', '${app_role}');
    -- tables and sequences of later migrations (run by this owner) are the app's to use as well
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I',
                   '${app_role}');
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO %I', '${app_role}');
END
$grants$;
