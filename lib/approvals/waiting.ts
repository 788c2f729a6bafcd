import { Prisma } from "@/lib/db/generated/client";
import type { Decider } from "./rules";

// "Waiting for me" as SQL: the pending requests whose current level `decider`
// may decide, the same answer as levelFor (rules.ts) over partiesOf
// (parties.ts); approvals-waiting.test.ts checks the two agree.
//
// Each pending request carries who its current level names ("waitingFor",
// kept by triggers: see the migration 20261129220000). The request is the
// decider's when that is one of their roles or their own id, a system they own
// or back up, or an identity they own or back up (owners read as they are now),
// and separation of duties allows it. Each of those is one index lookup, in
// creation order, so the cost follows the requests that are the decider's, not
// how many others are pending.

const sql = Prisma.sql;

/** The roles a level can name (approverSchema in rules.ts). */
const APPROVER_ROLES = ["SECURITY_LEAD", "ADMIN", "APPROVER"] as const;

/** One condition per index lookup; the keys never overlap, so no request is counted twice. */
function branches(decider: Decider): Prisma.Sql[] {
  const keys = [`user:${decider.userId}`, ...APPROVER_ROLES.filter((role) => decider.roles.includes(role)).map((role) => `role:${role}`)];
  return [
    ...keys.map((key) => sql`r."waitingFor" = ${key}`),
    sql`r."waitingFor" = 'system_owner' AND r."systemId" IN (
          SELECT s."id" FROM "System" s WHERE s."ownerId" = ${decider.userId} OR s."backupOwnerId" = ${decider.userId})`,
    sql`r."waitingFor" = 'identity_owner' AND r."identityId" IN (
          SELECT i."id" FROM "AiIdentity" i WHERE i."ownerId" = ${decider.userId} OR i."backupOwnerId" = ${decider.userId})`,
  ];
}

/**
 * What levelFor refuses whoever the level names: their own request, a second decision, the identity's owner alone.
 * No "status = 'PENDING'": "waitingFor" is NULL on every other request, and the condition let the planner
 * combine the status index, which lists every pending request, with the lookup.
 */
function allowed(decider: Decider, now: Date): Prisma.Sql {
  return sql`r."expiresAt" > ${now} AND r."requesterId" <> ${decider.userId}
    AND NOT EXISTS (SELECT 1 FROM "ApprovalDecision" d WHERE d."requestId" = r."id" AND d."deciderId" = ${decider.userId})
    AND NOT (jsonb_array_length(r."levels") < 2 AND EXISTS (
      SELECT 1 FROM "AiIdentity" o WHERE o."id" = r."identityId" AND (o."ownerId" = ${decider.userId} OR o."backupOwnerId" = ${decider.userId})))`;
}

/**
 * Ids of the requests waiting for `decider`, oldest first, at most `limit`,
 * after the request `cursor` (by its place in that order, so a cursor request
 * that was decided meanwhile still marks the place), or after skipping
 * `offset` of them (numbered pages).
 */
export function waitingIdsSql(decider: Decider, now: Date, page: { limit: number; cursor?: string; offset?: number }): Prisma.Sql {
  const after = page.cursor
    ? sql`AND (r."createdAt", r."id") > (SELECT c."createdAt", c."id" FROM "ApprovalRequest" c WHERE c."id" = ${page.cursor})`
    : Prisma.empty;
  const offset = page.offset ?? 0;
  // Each lookup brings the first offset + limit of its own; the merge skips `offset` of them all.
  const parts = branches(decider).map(
    (branch) => sql`(SELECT r."id", r."createdAt" FROM "ApprovalRequest" r
      WHERE ${branch} AND ${allowed(decider, now)} ${after}
      ORDER BY r."createdAt", r."id" LIMIT ${offset + page.limit})`,
  );
  return sql`SELECT w."id" FROM (${Prisma.join(parts, " UNION ALL ")}) w ORDER BY w."createdAt", w."id" OFFSET ${offset} LIMIT ${page.limit}`;
}

/** How many requests wait for `decider` (the header's count). */
export function waitingCountSql(decider: Decider, now: Date): Prisma.Sql {
  const parts = branches(decider).map((branch) => sql`SELECT r."id" FROM "ApprovalRequest" r WHERE ${branch} AND ${allowed(decider, now)}`);
  return sql`SELECT count(*)::int AS "count" FROM (${Prisma.join(parts, " UNION ALL ")}) w`;
}
