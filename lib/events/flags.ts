import type { Tx } from "@/lib/db/client";
import type { ActivityFlagKind } from "@/lib/db/generated/enums";

// The anomaly flags, raised at ingest in the batch's own transaction, as one
// set-based statement over the batch's rows (each rule below is one SELECT of
// the UNION). Flags are Warrant's findings; the events stay what the client
// reported.
//
// The burst rule: a minute (by occurredAt) in which an identity has at least
// BURST_MIN_EVENTS events and more than BURST_FACTOR times its average per
// minute over the BURST_BASELINE_MINUTES before it. One flag per identity and
// minute, on the batch's last event in that minute. Per-minute counts are kept
// in ActivityRate, so the rule reads ~60 small rows instead of an hour of events.

export const BURST_MIN_EVENTS = 60;
export const BURST_FACTOR = 10;
export const BURST_BASELINE_MINUTES = 60;

export interface RaisedFlag {
  seq: string;
  kind: ActivityFlagKind;
  reason: string;
}

interface BatchRange {
  firstSeq: bigint;
  lastSeq: bigint;
  receivedAt: Date;
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS"Z"'`;
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', ${ISO})`;

const FLAG_RULES = `
WITH batch AS (
  SELECT * FROM "ActivityEvent" WHERE "receivedAt" = $1::timestamptz AND "seq" BETWEEN $2::bigint AND $3::bigint
), me AS (
  SELECT "id", "environment" FROM "AiIdentity" WHERE "id" = $4
), found AS (
  -- A token used after its expiry or revocation, by the credential's state when the event occurred.
  SELECT b."seq", b."occurredAt", 'CREDENTIAL_NOT_VALID' AS kind,
         CASE WHEN c."revokedAt" IS NOT NULL AND c."revokedAt" <= b."occurredAt"
                THEN format('Used credential "%s" after it was revoked (%s).', c."label", ${iso(`c."revokedAt"`)})
              WHEN c."status" = 'REVOKED' AND c."revokedAt" IS NULL
                THEN format('Used credential "%s", which is revoked.', c."label")
              ELSE format('Used credential "%s" after it expired (%s).', c."label", ${iso(`c."expiresAt"`)}) END AS reason
    FROM batch b JOIN "Credential" c ON c."id" = b."credentialId" AND b."credentialKind" IN ('api_token', 'credential')
   WHERE (c."revokedAt" IS NOT NULL AND c."revokedAt" <= b."occurredAt")
      OR (c."status" = 'REVOKED' AND c."revokedAt" IS NULL)
      OR (c."expiresAt" IS NOT NULL AND c."expiresAt" <= b."occurredAt")
  UNION ALL
  SELECT b."seq", b."occurredAt", 'CREDENTIAL_NOT_VALID',
         format('Used a just-in-time token after it expired (%s).', ${iso(`$5::timestamptz`)})
    FROM batch b
   WHERE b."credentialKind" = 'jit' AND b."credentialId" = $6 AND $5::timestamptz IS NOT NULL AND b."occurredAt" >= $5::timestamptz
  UNION ALL
  -- A call that no decision allowed: none claimed, someone else's or unknown, not ALLOW, or for another call.
  SELECT b."seq", b."occurredAt", 'NO_ALLOWING_DECISION',
         CASE WHEN b."decisionId" IS NULL THEN 'No authorize decision was claimed for this call.'
              WHEN d."id" IS NULL THEN format('Decision %s is not one of this identity''s decisions.', b."decisionId")
              WHEN d."outcome" <> 'ALLOW' THEN format('Decision %s answered %s, not ALLOW.', d."id", d."outcome")
              ELSE format('Decision %s allowed a different call (%s on %s).', d."id", d."action", d."resourceId") END
    FROM batch b
    LEFT JOIN "PolicyDecision" d ON d."id" = b."decisionId" AND d."identityId" = b."identityId"
   WHERE b."kind" IN ('TOOL_CALL', 'PRIVILEGED_ACTION')
     AND NOT (d."id" IS NOT NULL AND d."outcome" = 'ALLOW' AND (
           (b."kind" = 'TOOL_CALL' AND d."action" = 'call_tool' AND d."resourceId" = b."tool"
              AND d."argumentsHash" IS NOT DISTINCT FROM b."argumentsHash")
        OR (b."kind" = 'PRIVILEGED_ACTION' AND d."action" = b."action" AND d."resourceType" = 'System' AND d."resourceId" = b."systemId")))
  UNION ALL
  -- Acting outside its environment: on a system, or a reported target, of another environment.
  SELECT b."seq", b."occurredAt", 'OUTSIDE_ENVIRONMENT',
         CASE WHEN s."environment" IS NOT NULL AND s."environment" <> me."environment"
                THEN format('Acted on %s system "%s" although the identity is %s.', s."environment", s."name", me."environment")
              ELSE format('Acted on %s although the identity is %s.', b."targetEnvironment", me."environment") END
    FROM batch b CROSS JOIN me
    LEFT JOIN "System" s ON s."id" = b."systemId"
   WHERE (s."environment" IS NOT NULL AND s."environment" <> me."environment")
      OR (b."targetEnvironment" IS NOT NULL AND b."targetEnvironment" <> me."environment")
  UNION ALL
  -- An action no live grant covered when it occurred (JIT grants are grants too).
  SELECT b."seq", b."occurredAt", 'NOT_GRANTED',
         format('No live %s grant on system "%s" covered this.', upper(b."action"), s."name")
    FROM batch b JOIN "System" s ON s."id" = b."systemId"
   WHERE b."action" IS NOT NULL
     AND NOT EXISTS (
       SELECT 1 FROM "Grant" g
        WHERE g."identityId" = b."identityId" AND g."systemId" = b."systemId" AND g."permission"::text = upper(b."action")
          AND (g."revokedAt" IS NULL OR g."revokedAt" > b."occurredAt")
          AND (g."expiresAt" IS NULL OR g."expiresAt" > b."occurredAt"))
  UNION ALL
  -- A burst: see the rule at the top of lib/events/flags.ts.
  SELECT last."seq", last."occurredAt", 'BURST',
         format('%s events in the minute from %s: more than %s times its usual rate (%s a minute over the hour before).',
                r."events", ${iso(`r."minute"`)}, ${BURST_FACTOR}, round(baseline.total / ${BURST_BASELINE_MINUTES}.0, 1))
    FROM (SELECT DISTINCT ON ("identityId", date_trunc('minute', "occurredAt")) "identityId", "seq", "occurredAt",
                 date_trunc('minute', "occurredAt") AS minute
            FROM batch ORDER BY "identityId", date_trunc('minute', "occurredAt"), "seq" DESC) last
    JOIN "ActivityRate" r ON r."identityId" = last."identityId" AND r."minute" = last.minute
    CROSS JOIN LATERAL (
      SELECT coalesce(sum(p."events"), 0) AS total FROM "ActivityRate" p
       WHERE p."identityId" = last."identityId"
         AND p."minute" >= last.minute - make_interval(mins => ${BURST_BASELINE_MINUTES}) AND p."minute" < last.minute) baseline
   WHERE r."events" >= ${BURST_MIN_EVENTS}
     AND r."events" > ${BURST_FACTOR} * baseline.total / ${BURST_BASELINE_MINUTES}.0
     AND NOT EXISTS (
       SELECT 1 FROM "ActivityFlag" f
        WHERE f."identityId" = last."identityId" AND f."kind" = 'BURST'
          AND f."occurredAt" >= last.minute AND f."occurredAt" < last.minute + interval '1 minute')
)
INSERT INTO "ActivityFlag" ("eventSeq", "identityId", "kind", "reason", "occurredAt")
SELECT "seq", $4, kind::"ActivityFlagKind", reason, "occurredAt" FROM found
RETURNING "eventSeq"::text AS seq, "kind"::text AS kind, "reason"`;

/** Counts the batch into the per-minute rates, then raises every rule's flags on it; returns them by event order. */
export async function raiseFlags(
  tx: Tx,
  caller: { identityId: string; credential: { kind: string; id: string }; jit?: { expiresAt: Date } },
  batch: BatchRange,
): Promise<RaisedFlag[]> {
  const range = [batch.receivedAt.toISOString(), batch.firstSeq.toString(), batch.lastSeq.toString()] as const;
  await tx.$executeRawUnsafe(
    `INSERT INTO "ActivityRate" ("identityId", "minute", "events")
     SELECT "identityId", date_trunc('minute', "occurredAt"), count(*)::int
       FROM "ActivityEvent" WHERE "receivedAt" = $1::timestamptz AND "seq" BETWEEN $2::bigint AND $3::bigint
      GROUP BY 1, 2
     ON CONFLICT ("identityId", "minute") DO UPDATE SET "events" = "ActivityRate"."events" + EXCLUDED."events"`,
    ...range,
  );
  const jitExpiry = caller.credential.kind === "jit" && caller.jit ? caller.jit.expiresAt.toISOString() : null;
  const flags = await tx.$queryRawUnsafe<RaisedFlag[]>(FLAG_RULES, ...range, caller.identityId, jitExpiry, caller.credential.id);
  return flags.sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : BigInt(a.seq) > BigInt(b.seq) ? 1 : a.kind.localeCompare(b.kind)));
}
