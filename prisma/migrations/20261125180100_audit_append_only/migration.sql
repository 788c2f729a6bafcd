-- The audit log is append-only: the database itself refuses to change or
-- remove an event, whoever asks. Only the table's owner can get around this
-- (by disabling the trigger), and the hash chain then shows what was touched.

CREATE FUNCTION "warrant_refuse_audit_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "AuditEvent_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "warrant_refuse_audit_change"();

CREATE TRIGGER "AuditEvent_no_truncate"
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "warrant_refuse_audit_change"();
