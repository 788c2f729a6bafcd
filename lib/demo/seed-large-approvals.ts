import type { Db } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/record";

// Approval requests at scale, for `npm run seed:large` and `npm run bench`:
// a year of them over the large inventory, mostly closed (applied, some
// rejected, expired, withdrawn or failed) and a few thousand pending across
// the default rules and their levels, with the decisions they would have.
// Requesters are the identities' owners; a few security leads decided the
// first levels; systems get owners (a fifth have none, so their system-owner
// level falls back to security leads). Generated inside PostgreSQL like the
// rest of the large seed, with the rules' own levels (migration 20261129203000).
//
// Pending requests expire a month after loading, not after the rule's 72 hours,
// so a database loaded today still has them to measure next week.

export const LARGE_APPROVALS = { requests: 100_000, pending: 4_000, leads: 8 };
export type ApprovalsSize = typeof LARGE_APPROVALS;

/** Which kind of change request `g` is: six in ten are privileged grants (two levels), the rest one security lead. */
const KIND = `CASE WHEN g % 10 < 6 THEN 'grant' WHEN g % 10 < 8 THEN 'credential' WHEN g % 10 = 8 THEN 'autonomy' ELSE 'expiry' END`;

const statements = (size: ApprovalsSize, inventory: { owners: number; systems: number; identities: number }) => {
  const closed = size.requests - size.pending;
  return [
    `INSERT INTO "User" ("id", "email", "name", "roles", "active", "createdAt", "updatedAt")
     SELECT 'scale-lead-' || n, 'lead' || n || '@scale.example.com', 'Security lead ' || n, '{SECURITY_LEAD}', true, now(), now()
     FROM generate_series(1, ${size.leads}) n`,
    // Four systems in five have an owner from among the identities' owners; a third of those a backup owner too.
    `UPDATE "System" s
     SET "ownerId" = 'scale-user-' || (1 + (n::bigint * 37) % ${inventory.owners}),
         "backupOwnerId" = CASE WHEN n % 3 = 0 THEN 'scale-user-' || (1 + (n::bigint * 53) % ${inventory.owners}) END
     FROM (SELECT "id", substring("id" FROM 14)::int AS n FROM "System" WHERE "id" LIKE 'scale-system-%') AS numbered
     WHERE s."id" = numbered."id" AND n % 5 <> 0 AND s."ownerId" IS NULL`,
    // Request g: the last ${size.pending} pending (created over the last few days), the rest closed over a year.
    // Pending grants alternate between waiting for a security lead (level 1) and for the system's owner (level 2).
    `INSERT INTO "ApprovalRequest" ("id", "status", "mutation", "input", "inputHash", "summary", "changes", "catalogKey", "reason",
                                    "ruleId", "levels", "requesterId", "justification", "identityId", "systemId", "riskBefore",
                                    "riskAfter", "expiresAt", "createdAt", "closedAt", "outcome", "waitingLevel")
     SELECT 'scale-request-' || g, request_status, mutation, input, md5('scale-request-' || g), summary, '[]'::jsonb, catalog_key, reason,
            rule."id", rule."levels", i."ownerId", 'Needed for ' || i."name" || ' (scale test)', i."id", system_id, i."riskTier",
            i."riskTier", CASE WHEN pending THEN now() + interval '30 days' ELSE created + interval '72 hours' END, created,
            CASE WHEN NOT pending THEN created + interval '3 hours' END,
            CASE request_status WHEN 'FAILED' THEN 'The change no longer applies.' WHEN 'WITHDRAWN' THEN 'No longer needed.'
                                WHEN 'REJECTED' THEN 'Not without a time limit.' END,
            CASE WHEN pending AND change_kind = 'grant' AND g % 2 = 0 THEN 1 ELSE 0 END
     FROM (
       SELECT g, g > ${closed} AS pending, ${KIND} AS change_kind,
              CASE WHEN g > ${closed} THEN now() - (${size.requests} - g) * interval '1 minute'
                   ELSE now() - interval '3 days' - (${closed} - g) * interval '5 minutes' END AS created,
              CASE WHEN g > ${closed} THEN 'PENDING'
                   ELSE (ARRAY['APPLIED','APPLIED','APPLIED','APPLIED','APPLIED','APPLIED','APPLIED','APPLIED','APPLIED','APPLIED',
                               'APPLIED','APPLIED','APPLIED','APPLIED','REJECTED','REJECTED','REJECTED','EXPIRED','WITHDRAWN','FAILED'])[1 + g % 20]
              END::"ApprovalStatus" AS request_status
       FROM generate_series(1, ${size.requests}) g
     ) AS r
     -- Identities whose number ends in 1 to 7, which the inventory seed put in service: changes are asked for those.
     JOIN "AiIdentity" i ON i."id" = 'scale-identity-' || (10 * ((g::bigint * 7) % ${Math.floor(inventory.identities / 10)}) + 1 + g % 7)
     JOIN "System" s ON s."id" = 'scale-system-' || (1 + (g::bigint * 31 + 3045) % ${inventory.systems})
     CROSS JOIN LATERAL (
       SELECT CASE r.change_kind WHEN 'grant' THEN 'grants.create' WHEN 'credential' THEN 'credentials.create' ELSE 'identities.update' END AS mutation,
              CASE r.change_kind
                WHEN 'grant' THEN jsonb_build_object('identityId', i."id", 'systemId', s."id", 'permission', CASE WHEN g % 3 = 0 THEN 'DEPLOY' ELSE 'WRITE' END)
                WHEN 'credential' THEN jsonb_build_object('identityId', i."id", 'type', 'PAT', 'label', 'long-lived PAT ' || g,
                                                          'fingerprint', 'SHA256:' || md5('scale-pat-' || g))
                WHEN 'autonomy' THEN jsonb_build_object('identityId', i."id", 'autonomy', 'EXECUTE')
                ELSE jsonb_build_object('identityId', i."id", 'expiresAt', to_char(created + interval '400 days', 'YYYY-MM-DD'))
              END AS input,
              CASE r.change_kind
                WHEN 'grant' THEN 'Grant ' || CASE WHEN g % 3 = 0 THEN 'DEPLOY' ELSE 'WRITE' END || ' on ' || s."name" || ' (' || s."environment" || ') to ' || i."name"
                WHEN 'credential' THEN 'Long-lived PAT for ' || i."name"
                WHEN 'autonomy' THEN 'Raise ' || i."name" || ' to EXECUTE'
                ELSE 'Extend ' || i."name" || ' by 400 days'
              END AS summary,
              CASE r.change_kind WHEN 'grant' THEN 'grant.sensitive' WHEN 'credential' THEN 'credential.long_lived'
                        WHEN 'autonomy' THEN 'identity.autonomy_raised' ELSE 'identity.expiry_extended' END AS catalog_key,
              CASE r.change_kind WHEN 'grant' THEN CASE WHEN g % 3 = 0 THEN 'DEPLOY' ELSE 'WRITE' END || ' is a privileged permission'
                        WHEN 'credential' THEN 'It never expires' WHEN 'autonomy' THEN 'EXECUTE acts without a human'
                        ELSE 'More than 180 days ahead' END AS reason,
              CASE WHEN r.change_kind = 'grant' THEN s."id" END AS system_id,
              CASE WHEN r.change_kind = 'grant' THEN 'rule_lead_and_system_owner' ELSE 'rule_security_lead' END AS rule_id
     ) AS k
     JOIN "ApprovalRule" rule ON rule."id" = k.rule_id`,
    // The decisions: a security lead approved level 1 (or rejected there), the system's owner (a second lead when it has
    // none but the requester) level 2; pending requests have the approvals of the levels they passed.
    `INSERT INTO "ApprovalDecision" ("id", "requestId", "level", "deciderId", "verdict", "comment", "createdAt")
     SELECT 'scale-decision-' || n || '-' || level, r."id", level,
            CASE WHEN level = 0 THEN 'scale-lead-' || (1 + n % ${size.leads})
                 WHEN s."ownerId" IS NOT NULL AND s."ownerId" <> r."requesterId" THEN s."ownerId"
                 WHEN s."backupOwnerId" IS NOT NULL AND s."backupOwnerId" <> r."requesterId" THEN s."backupOwnerId"
                 ELSE 'scale-lead-' || (1 + (n + 1) % ${size.leads}) END,
            CASE WHEN r."status" = 'REJECTED' THEN 'REJECT' ELSE 'APPROVE' END::"ApprovalVerdict",
            CASE WHEN r."status" = 'REJECTED' THEN 'Not without a time limit.' END,
            r."createdAt" + (level + 1) * interval '1 hour'
     FROM (SELECT *, substring("id" FROM 15)::int AS n FROM "ApprovalRequest" WHERE "id" LIKE 'scale-request-%') AS r
     CROSS JOIN LATERAL generate_series(0, jsonb_array_length(r."levels") - 1) AS level
     LEFT JOIN "System" s ON s."id" = r."systemId"
     WHERE r."status" IN ('APPLIED', 'FAILED') OR (r."status" = 'REJECTED' AND level = 0) OR (r."status" = 'PENDING' AND level < r."waitingLevel")`,
  ];
};

/** Loads the approval requests unless they are there; returns whether it loaded them. */
export async function seedLargeApprovals(
  db: Db,
  inventory: { owners: number; systems: number; identities: number },
  log: (message: string) => void = () => undefined,
  size: ApprovalsSize = LARGE_APPROVALS,
): Promise<boolean> {
  if (await db.approvalRequest.findUnique({ where: { id: "scale-request-1" } })) return false;
  const started = Date.now();
  await db.$transaction(
    async (tx) => {
      for (const statement of statements(size, inventory)) await tx.$executeRawUnsafe(statement);
      await recordAuditEvent(tx, { type: "SYSTEM", id: null, label: "seed:large" }, { action: "demo.seeded_large_approvals", data: size });
    },
    { timeout: 30 * 60_000 },
  );
  log(`Inserted ${size.requests} approval requests (${size.pending} pending) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return true;
}
