import { createPublicKey, type KeyObject } from "node:crypto";
import { Prisma } from "@/lib/db/generated/client";
import type { DbOrTx } from "@/lib/db/client";
import { auditSigningKey, verifyCheckpoints } from "@/lib/audit/checkpoint";
import { verifyAuditChain } from "@/lib/audit/verify";
import { LIVE_STATUSES } from "@/lib/inventory/lifecycle";
import { LONG_LIVED_AFTER_DAYS, SHORT_LIVED_CREDENTIAL_TYPES, UNUSED_AFTER_DAYS } from "@/lib/inventory/risk";
import { DAY_MS } from "@/lib/time";

// The automated test behind each of Warrant's controls (library.ts): set-based
// queries over live data that return how many objects the control looked at
// and exactly which failed. A control whose data does not exist yet answers
// "not applicable" with the reason, never a pass on nothing.

const sql = Prisma.sql;

export type FailureObjectType = "identity" | "approval_request" | "access_grant" | "audit_chain" | "policy_set" | "discovery_finding";

export interface ControlFinding {
  objectType: FailureObjectType;
  objectId: string;
  /** The object's name, e.g. "release-bot (PROD)". */
  label: string;
  /** What is wrong with it, in a few words. */
  detail: string;
  /** Whoever must fix it; null when nobody in particular. */
  ownerId: string | null;
}

export type CheckOutcome =
  | {
      applicable: true;
      /** How many objects the control looked at. */
      total: number;
      /** What they are, plural: "identities in service". */
      unit: string;
      failures: ControlFinding[];
      /** Anything the measure alone does not say (e.g. the long-lived credentials' ages). */
      note?: string;
    }
  | { applicable: false; reason: string };

export interface CheckContext {
  db: DbOrTx;
  now: Date;
  /** The key that signs audit checkpoints; its public half checks them. Undefined when none is configured. */
  auditKey?: KeyObject;
}

export type ControlCheck = (ctx: CheckContext) => Promise<CheckOutcome>;

const live = sql`i."status" = ANY(CAST(${LIVE_STATUSES} AS "IdentityStatus"[]))`;
const IN_SERVICE = "identities in service";

interface IdentityRow {
  id: string;
  name: string;
  environment: string;
  ownerId: string;
  detail: string;
}

function identityFindings(rows: IdentityRow[]): ControlFinding[] {
  return rows.map((row) => ({
    objectType: "identity",
    objectId: row.id,
    label: `${row.name} (${row.environment})`,
    detail: row.detail,
    ownerId: row.ownerId,
  }));
}

async function countIdentities(db: DbOrTx, where: Prisma.Sql): Promise<number> {
  const [row] = await db.$queryRaw<{ count: number }[]>`SELECT count(*)::int AS "count" FROM "AiIdentity" i WHERE ${where}`;
  return row?.count ?? 0;
}

/** A live grant: not revoked and not past its end. */
function liveGrant(alias: string, now: Date): Prisma.Sql {
  const g = Prisma.raw(alias);
  return sql`${g}."revokedAt" IS NULL AND (${g}."expiresAt" IS NULL OR ${g}."expiresAt" > ${now})`;
}

/** Every identity in service has a named owner who is still here, and a backup owner or a team to carry it on. */
export const ownerCheck: ControlCheck = async ({ db }) => {
  const total = await countIdentities(db, live);
  const rows = await db.$queryRaw<IdentityRow[]>`
    SELECT i."id", i."name", i."environment"::text AS "environment", i."ownerId",
           CASE WHEN NOT o."active" THEN 'its owner ' || coalesce(o."name", o."email") || ' has left'
                ELSE 'no backup owner and no team: nobody carries it on if its owner leaves' END AS "detail"
    FROM "AiIdentity" i JOIN "User" o ON o."id" = i."ownerId"
    WHERE ${live} AND (NOT o."active" OR (i."backupOwnerId" IS NULL AND i."teamId" IS NULL))
    ORDER BY i."name", i."id"`;
  return { applicable: true, total, unit: IN_SERVICE, failures: identityFindings(rows) };
};

/** Purposes that say nothing; a business purpose is a sentence someone can check. */
const PLACEHOLDER_PURPOSES = ["tbd", "todo", "n/a", "na", "none", "-", "test", "testing", "misc", "various"];
const MIN_PURPOSE_CHARS = 10;
/** Reviewed at least yearly: a longer cadence is no review date in practice. */
const MAX_REVIEW_CADENCE_DAYS = 365;

/** Every identity in service states a business purpose and is reviewed at least yearly (its expiry date is required by the inventory). */
export const purposeAndDatesCheck: ControlCheck = async ({ db }) => {
  const total = await countIdentities(db, live);
  const rows = await db.$queryRaw<IdentityRow[]>`
    SELECT i."id", i."name", i."environment"::text AS "environment", i."ownerId",
           concat_ws('; ',
             CASE WHEN length(btrim(i."purpose")) < ${MIN_PURPOSE_CHARS} OR lower(btrim(i."purpose")) = ANY(${PLACEHOLDER_PURPOSES}::text[])
                  THEN 'no business purpose stated ("' || left(btrim(i."purpose"), 40) || '")' END,
             CASE WHEN i."reviewCadenceDays" > ${MAX_REVIEW_CADENCE_DAYS}
                  THEN 'reviewed only every ' || i."reviewCadenceDays" || ' days' END) AS "detail"
    FROM "AiIdentity" i
    WHERE ${live} AND (length(btrim(i."purpose")) < ${MIN_PURPOSE_CHARS} OR lower(btrim(i."purpose")) = ANY(${PLACEHOLDER_PURPOSES}::text[])
                       OR i."reviewCadenceDays" > ${MAX_REVIEW_CADENCE_DAYS})
    ORDER BY i."name", i."id"`;
  return { applicable: true, total, unit: IN_SERVICE, failures: identityFindings(rows) };
};

/** No development or staging identity reaches a production system: one identity per environment. */
export const environmentSeparationCheck: ControlCheck = async ({ db, now }) => {
  const total = await countIdentities(db, sql`${live} AND i."environment" <> 'PROD'`);
  const rows = await db.$queryRaw<IdentityRow[]>`
    SELECT i."id", i."name", i."environment"::text AS "environment", i."ownerId",
           lower(i."environment"::text) || ' identity with ' ||
           string_agg(lower(g."permission"::text) || ' on ' || s."name" || ' (PROD)', ', ' ORDER BY s."name", g."permission") AS "detail"
    FROM "AiIdentity" i
    JOIN "Grant" g ON g."identityId" = i."id" AND ${liveGrant("g", now)}
    JOIN "System" s ON s."id" = g."systemId" AND s."environment" = 'PROD'
    WHERE ${live} AND i."environment" <> 'PROD'
    GROUP BY i."id"
    ORDER BY i."name", i."id"`;
  return { applicable: true, total, unit: "development and staging identities in service", failures: identityFindings(rows) };
};

/** An agent token: a credential Warrant issued, with which an identity can ask for just-in-time access. */
const holdsAgentToken = sql`EXISTS (SELECT 1 FROM "Credential" c WHERE c."identityId" = i."id" AND c."status" = 'ACTIVE' AND c."secretHash" IS NOT NULL)`;

/**
 * No standing deploy or admin access where just-in-time access is possible: an identity that holds an
 * agent token can ask for a task-scoped token instead.
 */
export const noStandingDeployCheck: ControlCheck = async ({ db, now }) => {
  const privileged = sql`EXISTS (SELECT 1 FROM "Grant" g WHERE g."identityId" = i."id" AND ${liveGrant("g", now)} AND g."permission" IN ('DEPLOY', 'ADMIN'))`;
  const total = await countIdentities(db, sql`${live} AND ${holdsAgentToken} AND ${privileged}`);
  if (total === 0) {
    return { applicable: false, reason: "no identity in service that can ask for just-in-time access holds deploy or admin access" };
  }
  const rows = await db.$queryRaw<IdentityRow[]>`
    SELECT i."id", i."name", i."environment"::text AS "environment", i."ownerId",
           'standing ' || string_agg(lower(g."permission"::text) || ' on ' || s."name" || ' (' || s."environment"::text || ')', ', ' ORDER BY s."name", g."permission") AS "detail"
    FROM "AiIdentity" i
    JOIN "Grant" g ON g."identityId" = i."id" AND ${liveGrant("g", now)} AND g."mode" = 'STANDING' AND g."permission" IN ('DEPLOY', 'ADMIN')
    JOIN "System" s ON s."id" = g."systemId"
    WHERE ${live} AND ${holdsAgentToken}
    GROUP BY i."id"
    ORDER BY i."name", i."id"`;
  const withoutToken = await countIdentities(db, sql`${live} AND NOT ${holdsAgentToken} AND ${privileged}`);
  const note =
    withoutToken > 0
      ? `${withoutToken} more identit${withoutToken === 1 ? "y holds" : "ies hold"} deploy or admin access without an agent token, so cannot use just-in-time access yet`
      : undefined;
  return {
    applicable: true,
    total,
    unit: "identities that can use just-in-time access and hold deploy or admin access",
    failures: identityFindings(rows),
    note,
  };
};

/** Short-lived credentials are preferred: every long-lived one (no expiry, or older than 90 days) is counted, aged and fails its identity. */
export const shortLivedCredentialsCheck: ControlCheck = async ({ db, now }) => {
  const longLived = sql`c."type" <> ALL(CAST(${SHORT_LIVED_CREDENTIAL_TYPES} AS "CredentialType"[]))
    AND (c."expiresAt" IS NULL OR c."issuedAt" < ${new Date(now.getTime() - LONG_LIVED_AFTER_DAYS * DAY_MS)})`;
  const total = await countIdentities(
    db,
    sql`${live} AND EXISTS (SELECT 1 FROM "Credential" c WHERE c."identityId" = i."id" AND c."status" = 'ACTIVE')`,
  );
  if (total === 0) return { applicable: false, reason: "no identity in service has an active credential" };
  const rows = await db.$queryRaw<(IdentityRow & { credentials: number; oldestDays: number })[]>`
    SELECT i."id", i."name", i."environment"::text AS "environment", i."ownerId",
           count(*)::int AS "credentials",
           floor(extract(epoch FROM (${now}::timestamptz - min(c."issuedAt"))) / 86400)::int AS "oldestDays",
           string_agg(c."label" || ' (' || floor(extract(epoch FROM (${now}::timestamptz - c."issuedAt")) / 86400)::int || ' days old'
                      || CASE WHEN c."expiresAt" IS NULL THEN ', no expiry' ELSE '' END || ')', ', ' ORDER BY c."issuedAt") AS "detail"
    FROM "AiIdentity" i
    JOIN "Credential" c ON c."identityId" = i."id" AND c."status" = 'ACTIVE' AND ${longLived}
    WHERE ${live}
    GROUP BY i."id"
    ORDER BY i."name", i."id"`;
  const count = rows.reduce((sum, row) => sum + row.credentials, 0);
  const aged = ageBuckets(rows.map((row) => row.oldestDays));
  const note = count === 0 ? undefined : `${count} long-lived credential${count === 1 ? "" : "s"}; their identities' oldest: ${aged}`;
  return { applicable: true, total, unit: "identities in service with active credentials", failures: identityFindings(rows), note };
};

function ageBuckets(days: number[]): string {
  const buckets = [
    { label: "under 90 days", test: (d: number) => d < 90 },
    { label: "90–365 days", test: (d: number) => d >= 90 && d <= 365 },
    { label: "over a year", test: (d: number) => d > 365 },
  ];
  return buckets.map((bucket) => `${days.filter(bucket.test).length} ${bucket.label}`).join(", ");
}

/** Read, write and deploy are separated: no identity holds write and deploy (or admin beside either) on one system. */
export const separationOfDutiesCheck: ControlCheck = async ({ db, now }) => {
  const total = await countIdentities(
    db,
    sql`${live} AND EXISTS (SELECT 1 FROM "Grant" g WHERE g."identityId" = i."id" AND ${liveGrant("g", now)} AND g."permission" <> 'READ')`,
  );
  if (total === 0) return { applicable: false, reason: "no identity in service holds write, deploy or admin access" };
  const rows = await db.$queryRaw<IdentityRow[]>`
    WITH combined AS (
      SELECT g."identityId", s."name" AS "system", array_agg(DISTINCT g."permission"::text ORDER BY g."permission"::text) AS "permissions"
      FROM "Grant" g JOIN "System" s ON s."id" = g."systemId"
      WHERE ${liveGrant("g", now)} AND g."permission" <> 'READ'
      GROUP BY g."identityId", s."id"
      HAVING count(DISTINCT g."permission") > 1
    )
    SELECT i."id", i."name", i."environment"::text AS "environment", i."ownerId",
           string_agg(lower(array_to_string(c."permissions", ' and ')) || ' on ' || c."system", ', ' ORDER BY c."system") AS "detail"
    FROM combined c JOIN "AiIdentity" i ON i."id" = c."identityId"
    WHERE ${live}
    GROUP BY i."id"
    ORDER BY i."name", i."id"`;
  return { applicable: true, total, unit: "identities in service with write, deploy or admin access", failures: identityFindings(rows) };
};

/** How far back "recently" reaches for the runtime controls. */
const RUNTIME_WINDOW_DAYS = 30;

/**
 * Every tool call, token use and privileged action is logged: each active identity that acted through
 * Warrant's runtime API (a policy decision) in the last 30 days also reported its activity.
 */
export const activityLoggedCheck: ControlCheck = async ({ db, now }) => {
  const since = new Date(now.getTime() - RUNTIME_WINDOW_DAYS * DAY_MS);
  const acted = sql`i."status" = 'ACTIVE' AND EXISTS (SELECT 1 FROM "PolicyDecision" d WHERE d."identityId" = i."id" AND d."createdAt" >= ${since})`;
  const total = await countIdentities(db, acted);
  if (total === 0)
    return { applicable: false, reason: `no active identity asked the runtime API for a decision in the last ${RUNTIME_WINDOW_DAYS} days` };
  const rows = await db.$queryRaw<IdentityRow[]>`
    SELECT i."id", i."name", i."environment"::text AS "environment", i."ownerId",
           'asked for ' || n."decisions" || CASE WHEN n."decisions" = 1 THEN ' decision' ELSE ' decisions' END
           || ' but reported no activity in ${Prisma.raw(String(RUNTIME_WINDOW_DAYS))} days' AS "detail"
    FROM "AiIdentity" i
    CROSS JOIN LATERAL (SELECT count(*)::int AS "decisions" FROM "PolicyDecision" d WHERE d."identityId" = i."id" AND d."createdAt" >= ${since}) n
    WHERE ${acted} AND NOT EXISTS (SELECT 1 FROM "ActivityEvent" e WHERE e."identityId" = i."id" AND e."occurredAt" >= ${since})
    ORDER BY i."name", i."id"`;
  const [events] = await db.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS "count" FROM "ActivityEvent" e WHERE e."receivedAt" >= ${since}`;
  const perIdentity = Math.round((events?.count ?? 0) / total);
  return {
    applicable: true,
    total,
    unit: "active identities that used the runtime API",
    failures: identityFindings(rows),
    note: `${events?.count ?? 0} events received in ${RUNTIME_WINDOW_DAYS} days, about ${perIdentity} per identity`,
  };
};

/**
 * Runtime policy is in force: a policy version is active, and every active identity that reported tool
 * calls or privileged actions in the last 30 days had them judged (decisions logged for it).
 */
export const runtimePolicyCheck: ControlCheck = async ({ db, now }) => {
  const since = new Date(now.getTime() - RUNTIME_WINDOW_DAYS * DAY_MS);
  const reported = sql`i."status" = 'ACTIVE' AND EXISTS (SELECT 1 FROM "ActivityEvent" e WHERE e."identityId" = i."id" AND e."occurredAt" >= ${since} AND e."kind" IN ('TOOL_CALL', 'PRIVILEGED_ACTION'))`;
  const total = await countIdentities(db, reported);
  if (total === 0)
    return {
      applicable: false,
      reason: `no active identity reported a tool call or privileged action in the last ${RUNTIME_WINDOW_DAYS} days`,
    };
  const active = await db.policyVersion.findFirst({ where: { activatedAt: { not: null } }, select: { number: true } });
  const rows = await db.$queryRaw<IdentityRow[]>`
    SELECT i."id", i."name", i."environment"::text AS "environment", i."ownerId",
           'acted without asking the runtime policies (no decision in ${Prisma.raw(String(RUNTIME_WINDOW_DAYS))} days)' AS "detail"
    FROM "AiIdentity" i
    WHERE ${reported} AND NOT EXISTS (SELECT 1 FROM "PolicyDecision" d WHERE d."identityId" = i."id" AND d."createdAt" >= ${since})
    ORDER BY i."name", i."id"`;
  const failures = identityFindings(rows);
  if (!active) {
    failures.unshift({
      objectType: "policy_set",
      objectId: "active",
      label: "Runtime policies",
      detail: "no policy version is active",
      ownerId: null,
    });
  }
  return { applicable: true, total, unit: "active identities that reported actions", failures };
};

/** Access is revoked when a task ends: no inventory grant lives on after the just-in-time token it came with ended. */
export const jitEndsWithTaskCheck: ControlCheck = async ({ db, now }) => {
  const [issued] = await db.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS "count" FROM "AccessGrant" a WHERE a."issuedAt" IS NOT NULL`;
  const total = issued?.count ?? 0;
  if (total === 0) return { applicable: false, reason: "no just-in-time token has been issued yet" };
  const rows = await db.$queryRaw<{ id: string; identity: string; environment: string; ownerId: string; detail: string }[]>`
    SELECT a."id", i."name" AS "identity", i."environment"::text AS "environment", i."ownerId",
           'task ' || CASE WHEN a."completedAt" IS NOT NULL THEN 'completed' WHEN a."revokedAt" IS NOT NULL THEN 'revoked' ELSE 'token expired' END
           || ' but ' || string_agg(lower(g."permission"::text) || ' on ' || s."name", ', ' ORDER BY s."name") || ' still granted' AS "detail"
    FROM "AccessGrant" a
    JOIN "AiIdentity" i ON i."id" = a."identityId"
    JOIN "Grant" g ON g."accessGrantId" = a."id" AND ${liveGrant("g", now)}
    JOIN "System" s ON s."id" = g."systemId"
    WHERE a."issuedAt" IS NOT NULL AND (a."completedAt" IS NOT NULL OR a."revokedAt" IS NOT NULL OR a."expiresAt" <= ${now})
    GROUP BY a."id", i."id"
    ORDER BY i."name", a."id"`;
  return {
    applicable: true,
    total,
    unit: "just-in-time tokens issued",
    failures: rows.map((row) => ({
      objectType: "access_grant",
      objectId: row.id,
      label: `just-in-time token of ${row.identity} (${row.environment})`,
      detail: row.detail,
      ownerId: row.ownerId,
    })),
  };
};

/** How long after a model or scope change its owner has to re-review the identity or rotate its credentials. */
const CHANGE_GRACE_DAYS = 30;

/**
 * Rotation or re-review after a model or scope change: an identity whose model changed, or that gained write,
 * deploy or admin access, more than 30 days ago has since had a completed review or a credential rotation.
 */
export const reviewAfterChangeCheck: ControlCheck = async ({ db, now }) => {
  const graceEnd = new Date(now.getTime() - CHANGE_GRACE_DAYS * DAY_MS);
  const lookBack = new Date(now.getTime() - 365 * DAY_MS);
  const rows = await db.$queryRaw<(IdentityRow & { followedUp: boolean })[]>`
    WITH changes AS (
      SELECT e."targetId" AS "identityId", max(e."occurredAt") AS "changedAt",
             (array_agg(CASE WHEN e."action" = 'identity.updated' THEN 'model changed to ' || (e."data"->'changed'->>'model')
                             ELSE (e."data"->>'permission') || ' granted on ' || (e."data"->>'system') END ORDER BY e."occurredAt" DESC))[1] AS "what"
      FROM "AuditEvent" e
      WHERE e."action" IN ('identity.updated', 'grant.created') AND e."targetType" = 'identity'
        AND e."occurredAt" >= ${lookBack} AND e."occurredAt" < ${graceEnd}
        AND ((e."action" = 'identity.updated' AND e."data"->'changed' ? 'model')
             OR (e."action" = 'grant.created' AND e."data"->>'permission' IN ('WRITE', 'DEPLOY', 'ADMIN')))
      GROUP BY e."targetId"
    )
    SELECT i."id", i."name", i."environment"::text AS "environment", i."ownerId",
           c."what" || ' on ' || to_char(c."changedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ', not re-reviewed or rotated since' AS "detail",
           (EXISTS (SELECT 1 FROM "Review" r WHERE r."identityId" = i."id" AND r."status" = 'COMPLETED' AND r."closedAt" > c."changedAt")
            OR EXISTS (SELECT 1 FROM "Credential" k WHERE k."identityId" = i."id" AND k."lastRotatedAt" > c."changedAt")) AS "followedUp"
    FROM changes c JOIN "AiIdentity" i ON i."id" = c."identityId"
    WHERE ${live}
    ORDER BY i."name", i."id"`;
  if (rows.length === 0) {
    return {
      applicable: false,
      reason: `no identity in service had a model or scope change between a year and ${CHANGE_GRACE_DAYS} days ago`,
    };
  }
  return {
    applicable: true,
    total: rows.length,
    unit: `identities with a model or scope change over ${CHANGE_GRACE_DAYS} days ago`,
    failures: identityFindings(rows.filter((row) => !row.followedUp)),
  };
};

/** How far back the approvals control looks. */
const APPROVALS_WINDOW_DAYS = 90;

/** Human approval is recorded for every sensitive change: each one applied in the last 90 days has an approving decision, not break-glass alone. */
export const approvalRecordedCheck: ControlCheck = async ({ db, now }) => {
  const since = new Date(now.getTime() - APPROVALS_WINDOW_DAYS * DAY_MS);
  const rows = await db.$queryRaw<{ id: string; summary: string; requesterId: string; breakGlass: boolean; approvals: number }[]>`
    SELECT r."id", r."summary", r."requesterId", r."breakGlass",
           (SELECT count(*)::int FROM "ApprovalDecision" d WHERE d."requestId" = r."id" AND d."verdict" = 'APPROVE' AND d."deciderId" <> r."requesterId") AS "approvals"
    FROM "ApprovalRequest" r
    WHERE r."status" = 'APPLIED' AND r."closedAt" >= ${since}
    ORDER BY r."closedAt", r."id"`;
  if (rows.length === 0) return { applicable: false, reason: `no sensitive change was applied in the last ${APPROVALS_WINDOW_DAYS} days` };
  const failing = rows.filter((row) => row.approvals === 0);
  return {
    applicable: true,
    total: rows.length,
    unit: `sensitive changes applied in ${APPROVALS_WINDOW_DAYS} days`,
    failures: failing.map((row) => ({
      objectType: "approval_request",
      objectId: row.id,
      label: row.summary,
      detail: row.breakGlass
        ? "applied by break-glass; nobody else has approved it since"
        : "applied without an approving decision by someone else",
      ownerId: row.requesterId,
    })),
  };
};

/** Reviews are attested on time: no identity in service is past its review date. */
export const reviewsOnTimeCheck: ControlCheck = async ({ db, now }) => {
  const total = await countIdentities(db, live);
  const rows = await db.$queryRaw<IdentityRow[]>`
    SELECT i."id", i."name", i."environment"::text AS "environment", i."ownerId",
           'review was due ' || to_char(i."nextReviewAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD')
           || ' (' || floor(extract(epoch FROM (${now}::timestamptz - i."nextReviewAt")) / 86400)::int || ' days overdue)' AS "detail"
    FROM "AiIdentity" i
    WHERE ${live} AND i."nextReviewAt" < ${now}
    ORDER BY i."nextReviewAt", i."id"`;
  return { applicable: true, total, unit: IN_SERVICE, failures: identityFindings(rows) };
};

/**
 * No orphaned identities: none in service whose owner left and nobody took it over, and none dormant (active
 * for over 90 days with credentials none of which were used in 90 days).
 */
export const noOrphansCheck: ControlCheck = async ({ db, now }) => {
  const idleSince = new Date(now.getTime() - UNUSED_AFTER_DAYS * DAY_MS);
  const total = await countIdentities(db, live);
  const rows = await db.$queryRaw<IdentityRow[]>`
    SELECT i."id", i."name", i."environment"::text AS "environment", i."ownerId",
           CASE WHEN i."orphanedAt" IS NOT NULL
                THEN 'orphaned since ' || to_char(i."orphanedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ': its owner left'
                ELSE 'dormant: no credential used in ${Prisma.raw(String(UNUSED_AFTER_DAYS))} days' END AS "detail"
    FROM "AiIdentity" i
    WHERE ${live} AND (i."orphanedAt" IS NOT NULL OR (
      i."status" = 'ACTIVE' AND i."createdAt" < ${idleSince}
      AND EXISTS (SELECT 1 FROM "Credential" c WHERE c."identityId" = i."id" AND c."status" = 'ACTIVE')
      AND NOT EXISTS (SELECT 1 FROM "Credential" c WHERE c."identityId" = i."id" AND c."status" = 'ACTIVE'
                      AND coalesce(c."lastUsedAt", c."issuedAt") >= ${idleSince})))
    ORDER BY i."name", i."id"`;
  return { applicable: true, total, unit: IN_SERVICE, failures: identityFindings(rows) };
};

/**
 * Every AI tool footprint that the latest scan of its repository found is
 * registered, linked to an identity or dismissed (lib/discovery). Footprints
 * a later scan no longer found do not count either way. Not applicable until
 * a repository has been scanned.
 */
export const footprintsDecidedCheck: ControlCheck = async ({ db }) => {
  const scanned = await db.discoveryRepository.count({ where: { lastScanAt: { not: null } } });
  if (scanned === 0) {
    return { applicable: false, reason: "no repository has been scanned yet (npm run cli -- scan <directory> --submit)" };
  }
  const total = await db.discoveryFinding.count({ where: { goneAt: null } });
  const open = await db.$queryRaw<{ id: string; label: string; detail: string }[]>`
    SELECT f."id", f."tool" || ' in ' || r."name" || ' (' || r."environment"::text || ')' AS "label",
           f."severity"::text || ': ' || f."title" || ' at ' || f."file" || ':' || f."line"::text
           || ', found ' || to_char(f."firstSeenAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ', neither registered nor dismissed' AS "detail"
    FROM "DiscoveryFinding" f JOIN "DiscoveryRepository" r ON r."id" = f."repositoryId"
    WHERE f."status" = 'OPEN' AND f."goneAt" IS NULL
    ORDER BY f."severity" DESC, f."firstSeenAt", f."id"`;
  return {
    applicable: true,
    total,
    unit: "footprints in scanned repositories",
    failures: open.map((row) => ({
      objectType: "discovery_finding",
      objectId: row.id,
      label: row.label,
      detail: row.detail,
      ownerId: null,
    })),
  };
};

/**
 * The audit chain is intact up to the latest signed checkpoint: every event links and hashes, and every
 * checkpoint verifies. Walking a million events takes about 30 s, so on weekdays a run after a passing
 * one walks only from the last checkpoint that run had proved (every checkpoint's signature and event
 * are still checked, so cutting or rewriting the chain after it shows at once); on Sundays (UTC), and
 * after any run that did not pass, it walks the whole chain, which also catches an older row edited in
 * place within a week.
 */
export const auditChainCheck: ControlCheck = async ({ db, now, auditKey = auditSigningKey() }) => {
  const latest = await db.auditCheckpoint.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } });
  if (!auditKey)
    return { applicable: false, reason: "no audit signing key is configured (WARRANT_AUDIT_SIGNING_KEY), so no checkpoint can be checked" };
  if (!latest)
    return {
      applicable: false,
      reason: "no signed checkpoint has been written yet (the audit.checkpoint job writes one every ten minutes)",
    };
  const previous = await db.controlResult.findFirst({
    where: { controlKey: "audit.chain-intact" },
    orderBy: { createdAt: "desc" },
    select: { status: true, createdAt: true },
  });
  const proved =
    now.getUTCDay() !== 0 && previous?.status === "PASS"
      ? await db.auditCheckpoint.findFirst({ where: { createdAt: { lte: previous.createdAt } }, orderBy: { seq: "desc" } })
      : null;
  const chain = await verifyAuditChain(db, proved ? { seq: proved.seq, hash: proved.hash } : undefined);
  const failures: ControlFinding[] = [];
  if (!chain.ok) {
    failures.push({
      objectType: "audit_chain",
      objectId: String(chain.brokenAtSeq),
      label: `audit event #${chain.brokenAtSeq}`,
      detail: chain.reason,
      ownerId: null,
    });
  } else {
    const checkpoints = await verifyCheckpoints(db, createPublicKey(auditKey), chain.headSeq ?? proved?.seq ?? null);
    if (!checkpoints.ok) {
      failures.push({
        objectType: "audit_chain",
        objectId: String(checkpoints.seq),
        label: `checkpoint at #${checkpoints.seq}`,
        detail: checkpoints.reason,
        ownerId: null,
      });
    }
  }
  const walked = proved
    ? `from checkpoint #${proved.seq} (proved by the previous run; the whole chain is walked on Sundays)`
    : "from the first event";
  return {
    applicable: true,
    total: 1,
    unit: "audit chain",
    failures,
    note: chain.ok
      ? `${chain.events} events verified ${walked} up to #${chain.headSeq ?? proved?.seq}; latest checkpoint at #${latest.seq}`
      : undefined,
  };
};
