-- "Waiting for me" (the approvals inbox and the header's count on every page) used to read the
-- oldest 2,000 pending requests and decide in code who may decide each; with thousands pending that
-- was slow and, past the cap, wrong. Each pending request now carries the level it waits for
-- ("waitingLevel", set by lib/approvals/decide.ts in the decision's transaction) and who that level
-- names ("waitingFor"), so the inbox is a few index lookups: the person's roles and own id, the
-- systems they own, the identities they own (lib/approvals/waiting.ts).
--
-- "waitingFor" is kept by triggers, so every writer keeps it right, also when a system's owners
-- change while a request waits (rules read owners as they are now):
--   'role:<ROLE>'     the level names a role;
--   'user:<id>'       the level names a person;
--   'identity_owner'  the identity's owner or backup owner (read from AiIdentity when asked);
--   'system_owner'    the system's owner or backup owner, one of whom is not the requester (read from System when asked);
--   'role:SECURITY_LEAD' also for a system-owner level whose system has no owner but the requester
--                     (fitsLevel in lib/approvals/rules.ts: security leads decide then);
--   NULL              the request is no longer pending.

-- AlterTable
ALTER TABLE "ApprovalRequest" ADD COLUMN     "waitingFor" TEXT,
ADD COLUMN     "waitingLevel" INTEGER NOT NULL DEFAULT 0;

-- Who a level of `levels` (the request's own copy of its rule) names, as the key above.
CREATE FUNCTION "warrant_approval_waiting_for"(request_levels JSONB, level INTEGER, requester TEXT, request_system TEXT) RETURNS TEXT
LANGUAGE sql STABLE AS $$
  SELECT CASE approvers ->> 'kind'
    WHEN 'role' THEN 'role:' || (approvers ->> 'role')
    WHEN 'user' THEN 'user:' || (approvers ->> 'userId')
    WHEN 'identity_owner' THEN 'identity_owner'
    WHEN 'system_owner' THEN
      CASE WHEN EXISTS (SELECT 1 FROM "System" s
                        WHERE s."id" = request_system AND (s."ownerId" <> requester OR s."backupOwnerId" <> requester))
           THEN 'system_owner' ELSE 'role:SECURITY_LEAD' END
  END
  FROM (SELECT request_levels -> level -> 'approvers' AS approvers) AS current_level
$$;

CREATE FUNCTION "warrant_approval_set_waiting_for"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW."waitingFor" := CASE WHEN NEW."status" = 'PENDING'
    THEN "warrant_approval_waiting_for"(NEW."levels", NEW."waitingLevel", NEW."requesterId", NEW."systemId") END;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "ApprovalRequest_waiting_for"
  BEFORE INSERT OR UPDATE OF "status", "waitingLevel", "levels", "requesterId", "systemId", "waitingFor" ON "ApprovalRequest"
  FOR EACH ROW EXECUTE FUNCTION "warrant_approval_set_waiting_for"();

-- A system's owners changed: its pending requests at a system-owner level may now fall back to
-- security leads, or stop falling back. Every pending request of the system is rewritten, not only
-- those at a system-owner level now: one that a concurrent decision is moving to that level is then
-- waited for (its row is locked) and recomputed after the decision commits, instead of being
-- skipped as it looked before.
CREATE FUNCTION "warrant_system_owners_changed"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "ApprovalRequest" r
  SET "waitingFor" = NULL -- recomputed by ApprovalRequest_waiting_for
  WHERE r."systemId" = NEW."id" AND r."status" = 'PENDING';
  RETURN NULL;
END;
$$;

CREATE TRIGGER "System_owners_changed"
  AFTER UPDATE OF "ownerId", "backupOwnerId" ON "System"
  FOR EACH ROW WHEN (OLD."ownerId" IS DISTINCT FROM NEW."ownerId" OR OLD."backupOwnerId" IS DISTINCT FROM NEW."backupOwnerId")
  EXECUTE FUNCTION "warrant_system_owners_changed"();

-- Requests already pending: the first level short of its approvals (currentLevel in rules.ts).
UPDATE "ApprovalRequest" r
SET "waitingLevel" = coalesce((
  SELECT min(l.position - 1)
  FROM jsonb_array_elements(r."levels") WITH ORDINALITY AS l(level, position)
  WHERE (SELECT count(*) FROM "ApprovalDecision" d
         WHERE d."requestId" = r."id" AND d."level" = l.position - 1 AND d."verdict" = 'APPROVE') < (l.level ->> 'required')::int
), 0)
WHERE r."status" = 'PENDING';

-- CreateIndex
CREATE INDEX "ApprovalRequest_waitingFor_createdAt_id_idx" ON "ApprovalRequest"("waitingFor", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ApprovalRequest_waitingFor_systemId_idx" ON "ApprovalRequest"("waitingFor", "systemId");

-- CreateIndex
CREATE INDEX "ApprovalRequest_waitingFor_identityId_idx" ON "ApprovalRequest"("waitingFor", "identityId");

-- CreateIndex
CREATE INDEX "System_ownerId_idx" ON "System"("ownerId");

-- CreateIndex
CREATE INDEX "System_backupOwnerId_idx" ON "System"("backupOwnerId");
