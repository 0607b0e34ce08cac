-- Custom SQL migration (drizzle-kit generate --custom): audit_events is append-only.
-- Row triggers reject UPDATE and DELETE, a statement trigger rejects TRUNCATE (row triggers never see it).
-- ENABLE ALWAYS makes them fire even under session_replication_role = replica, the usual way to skip
-- triggers during bulk loads. A table owner or superuser can still drop the triggers; that is a DDL change
-- that shows up in review and in the migrations table, which is the point of having them.
CREATE FUNCTION audit_events_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Audit events are evidence; record a correcting event instead of changing one.';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_append_only
  BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_reject_change();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_reject_change();
--> statement-breakpoint
ALTER TABLE audit_events ENABLE ALWAYS TRIGGER audit_events_append_only;
--> statement-breakpoint
ALTER TABLE audit_events ENABLE ALWAYS TRIGGER audit_events_no_truncate;
