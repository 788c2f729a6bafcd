-- The audit chain's head, read once its lock is held, in one round trip.
-- Writers serialize on an advisory lock and then read the newest event to
-- chain from. Lock and read cannot share a plain statement: a statement sees
-- what was committed when it began, so one that waited for the lock would miss
-- the event written by the transaction it waited for. A VOLATILE function takes
-- a fresh snapshot for each query it runs, so its read comes after the lock.
CREATE FUNCTION "warrant_audit_chain_head"() RETURNS TABLE ("seq" BIGINT, "hash" TEXT)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('warrant.audit_chain'));
  RETURN QUERY SELECT e."seq", e."hash" FROM "AuditEvent" e ORDER BY e."seq" DESC LIMIT 1;
END;
$$;
