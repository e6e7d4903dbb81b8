-- The audit trail is append-only (V1's row trigger refuses UPDATE and DELETE), but TRUNCATE fires no row trigger:
-- one statement could empty the trail. A statement trigger refuses it too (docs/security.md).
CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only();
