-- A level whose people are gone falls back to security leads, so no request waits for someone who
-- can no longer decide it (until now only a system-owner level of a system nobody else owned did):
--   a named person who is deactivated;
--   a system's or an identity's owner and backup owner, when neither is an active person other than
--   the requester.
-- fitsLevel in lib/approvals/rules.ts makes the same choice; lib/approvals/waiting.test.ts checks the
-- inbox (this column) and levelFor agree, also as people are deactivated and reactivated.

CREATE OR REPLACE FUNCTION "warrant_approval_waiting_for"(request_levels JSONB, level INTEGER, requester TEXT, request_system TEXT, request_identity TEXT) RETURNS TEXT
LANGUAGE sql STABLE AS $$
  SELECT CASE approvers ->> 'kind'
    WHEN 'role' THEN 'role:' || (approvers ->> 'role')
    WHEN 'user' THEN
      CASE WHEN EXISTS (SELECT 1 FROM "User" u WHERE u."id" = approvers ->> 'userId' AND u."active")
           THEN 'user:' || (approvers ->> 'userId') ELSE 'role:SECURITY_LEAD' END
    WHEN 'identity_owner' THEN
      CASE WHEN EXISTS (SELECT 1 FROM "AiIdentity" i JOIN "User" u ON u."id" IN (i."ownerId", i."backupOwnerId")
                        WHERE i."id" = request_identity AND u."id" <> requester AND u."active")
           THEN 'identity_owner' ELSE 'role:SECURITY_LEAD' END
    WHEN 'system_owner' THEN
      CASE WHEN EXISTS (SELECT 1 FROM "System" s JOIN "User" u ON u."id" IN (s."ownerId", s."backupOwnerId")
                        WHERE s."id" = request_system AND u."id" <> requester AND u."active")
           THEN 'system_owner' ELSE 'role:SECURITY_LEAD' END
  END
  FROM (SELECT request_levels -> level -> 'approvers' AS approvers) AS current_level
$$;

CREATE OR REPLACE FUNCTION "warrant_approval_set_waiting_for"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW."waitingFor" := CASE WHEN NEW."status" = 'PENDING'
    THEN "warrant_approval_waiting_for"(NEW."levels", NEW."waitingLevel", NEW."requesterId", NEW."systemId", NEW."identityId") END;
  RETURN NEW;
END;
$$;

DROP FUNCTION "warrant_approval_waiting_for"(JSONB, INTEGER, TEXT, TEXT);

DROP TRIGGER "ApprovalRequest_waiting_for" ON "ApprovalRequest";
CREATE TRIGGER "ApprovalRequest_waiting_for"
  BEFORE INSERT OR UPDATE OF "status", "waitingLevel", "levels", "requesterId", "systemId", "identityId", "waitingFor" ON "ApprovalRequest"
  FOR EACH ROW EXECUTE FUNCTION "warrant_approval_set_waiting_for"();

-- An identity's owners changed: its pending requests at an identity-owner level may now fall back, or
-- stop falling back (as System_owners_changed does for systems).
CREATE FUNCTION "warrant_identity_owners_changed"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "ApprovalRequest" r
  SET "waitingFor" = NULL -- recomputed by ApprovalRequest_waiting_for
  WHERE r."identityId" = NEW."id" AND r."status" = 'PENDING';
  RETURN NULL;
END;
$$;

CREATE TRIGGER "AiIdentity_owners_changed"
  AFTER UPDATE OF "ownerId", "backupOwnerId" ON "AiIdentity"
  FOR EACH ROW WHEN (OLD."ownerId" IS DISTINCT FROM NEW."ownerId" OR OLD."backupOwnerId" IS DISTINCT FROM NEW."backupOwnerId")
  EXECUTE FUNCTION "warrant_identity_owners_changed"();

-- A person was deactivated or reactivated: the pending requests whose levels name them, or whose
-- system or identity they own or back up, are recomputed.
CREATE FUNCTION "warrant_user_active_changed"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "ApprovalRequest" r
  SET "waitingFor" = NULL -- recomputed by ApprovalRequest_waiting_for
  WHERE r."status" = 'PENDING'
    AND (r."systemId" IN (SELECT s."id" FROM "System" s WHERE s."ownerId" = NEW."id" OR s."backupOwnerId" = NEW."id")
      OR r."identityId" IN (SELECT i."id" FROM "AiIdentity" i WHERE i."ownerId" = NEW."id" OR i."backupOwnerId" = NEW."id")
      OR r."levels" @> jsonb_build_array(jsonb_build_object('approvers', jsonb_build_object('kind', 'user', 'userId', NEW."id"))));
  RETURN NULL;
END;
$$;

CREATE TRIGGER "User_active_changed"
  AFTER UPDATE OF "active" ON "User"
  FOR EACH ROW WHEN (OLD."active" IS DISTINCT FROM NEW."active")
  EXECUTE FUNCTION "warrant_user_active_changed"();

-- Requests already pending: recomputed under the new rule.
UPDATE "ApprovalRequest" SET "waitingFor" = NULL WHERE "status" = 'PENDING';
