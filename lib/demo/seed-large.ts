import type { Db } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/record";
import { recomputeAllRisk } from "@/lib/inventory/recompute-risk";
import { REVIEW_NOTICE_DAYS } from "@/lib/reviews/due";
import { LARGE_APPROVALS, seedLargeApprovals, type ApprovalsSize } from "./seed-large-approvals";

// A realistic inventory at scale (mostly development systems, access within an
// identity's own environment, read access, suggest/draft autonomy and recent
// credentials, with a long tail of risk) for trying Warrant and for `npm run bench`:
// 100,000 identities, 300,000 credentials, 5,000 systems and 400,000 grants
// across 2,000 owners in 50 teams, with the reviews they would have. Rows are generated inside PostgreSQL
// (generate_series) with a fixed random seed, so every run builds the same data
// in about a minute; risk tiers are then computed by the real rule.

export const LARGE = { teams: 50, owners: 2000, systems: 5000, identities: 100_000, grantsPerIdentity: 4, credentialsPerIdentity: 3 };
export type InventorySize = typeof LARGE;

const statements = (LARGE: InventorySize) => [
  `SELECT setseed(0.42)`,
  `INSERT INTO "Team" ("id", "name", "createdAt")
   SELECT 'scale-team-' || g, 'Scale team ' || g, now() FROM generate_series(1, ${LARGE.teams}) g`,
  // About 1% of owners have left: their identities are orphaned below.
  `INSERT INTO "User" ("id", "email", "name", "roles", "active", "teamId", "createdAt", "updatedAt")
   SELECT 'scale-user-' || g, 'owner' || g || '@scale.example.com', 'Owner ' || g, '{}', g % 97 <> 0,
          'scale-team-' || (1 + g % ${LARGE.teams}), now(), now()
   FROM generate_series(1, ${LARGE.owners}) g`,
  `INSERT INTO "System" ("id", "name", "kind", "environment", "sensitivity", "description", "createdAt", "updatedAt")
   SELECT 'scale-system-' || g,
          (ARRAY['repo','aws','ci','jira','slack','vault','db','k8s','api'])[1 + g % 9] || '-' || g,
          (enum_range(NULL::"SystemKind"))[1 + g % 9],
          -- Half dev, a fifth staging, the rest prod, by position in each run of ten (grants below rely on it).
          (ARRAY['DEV','DEV','DEV','DEV','DEV','STAGING','STAGING','PROD','PROD','PROD']::"Environment"[])[1 + (g - 1) % 10],
          -- Restricted data lives in production; development systems are mostly public or internal.
          CASE WHEN (g - 1) % 10 < 5 THEN (ARRAY['PUBLIC','PUBLIC','PUBLIC','INTERNAL','INTERNAL','INTERNAL','INTERNAL','INTERNAL','INTERNAL','CONFIDENTIAL']::"Sensitivity"[])[1 + floor(random() * 10)::int]
               WHEN (g - 1) % 10 < 7 THEN (ARRAY['INTERNAL','INTERNAL','INTERNAL','CONFIDENTIAL','CONFIDENTIAL']::"Sensitivity"[])[1 + floor(random() * 5)::int]
               ELSE (ARRAY['INTERNAL','INTERNAL','INTERNAL','INTERNAL','INTERNAL','INTERNAL','INTERNAL','INTERNAL','INTERNAL','INTERNAL',
                           'CONFIDENTIAL','CONFIDENTIAL','CONFIDENTIAL','CONFIDENTIAL','CONFIDENTIAL','CONFIDENTIAL','CONFIDENTIAL',
                           'RESTRICTED','RESTRICTED','RESTRICTED']::"Sensitivity"[])[1 + floor(random() * 20)::int] END,
          'Generated for scale tests', now(), now()
   FROM generate_series(1, ${LARGE.systems}) g`,
  `INSERT INTO "AiIdentity" ("id", "name", "kind", "vendor", "product", "model", "purpose", "environment", "autonomy",
                             "status", "ownerId", "backupOwnerId", "teamId", "expiresAt", "reviewCadenceDays",
                             "nextReviewAt", "orphanedAt", "createdAt", "updatedAt")
   SELECT 'scale-identity-' || g,
          (ARRAY['copilot','claude-code','cursor','renovate','mcp','triage-bot','release-agent','docs-plugin'])[1 + g % 8] || '-' || g,
          (enum_range(NULL::"IdentityKind"))[1 + g % 7],
          (ARRAY['GitHub','Anthropic','Anysphere','Mend','OpenAI','Acme','Google'])[1 + g % 7],
          (ARRAY['Copilot','Claude Code','Cursor','Renovate','Codex','In-house','Gemini CLI'])[1 + g % 7],
          (ARRAY['gpt-5','claude-opus','claude-sonnet',NULL,'gpt-5-mini','gemini-pro'])[1 + g % 6],
          'Scale-test identity ' || g || ' that ' || (ARRAY['reviews pull requests','deploys services','triages incidents','updates dependencies','answers questions'])[1 + g % 5],
          (ARRAY['DEV','DEV','DEV','DEV','DEV','STAGING','STAGING','PROD','PROD','PROD']::"Environment"[])[1 + (g / 10) % 10],
          (ARRAY['SUGGEST','SUGGEST','SUGGEST','SUGGEST','DRAFT','DRAFT','DRAFT','EXECUTE','EXECUTE','AUTONOMOUS']::"Autonomy"[])[1 + floor(random() * 10)::int],
          (ARRAY['ACTIVE','ACTIVE','ACTIVE','ACTIVE','ACTIVE','ACTIVE','SUSPENDED','PROPOSED','EXPIRED','RETIRED']::"IdentityStatus"[])[1 + g % 10],
          'scale-user-' || (1 + (g::bigint * 7919) % ${LARGE.owners}),
          CASE WHEN g % 3 = 0 THEN 'scale-user-' || (1 + (g::bigint * 104729) % ${LARGE.owners}) END,
          'scale-team-' || (1 + g % ${LARGE.teams}),
          now() + ((floor(random() * 760) - 60)::int || ' days')::interval,
          90,
          -- Whole seconds, so the stored (millisecond) value compares exactly with the review horizon below.
          date_trunc('second', now()) + ((floor(random() * 150) - 15)::int || ' days')::interval,
          CASE WHEN ((g::bigint * 7919) % ${LARGE.owners} + 1) % 97 = 0 THEN now() END,
          now() - ((g % 700) || ' days')::interval, now()
   FROM generate_series(1, ${LARGE.identities}) g`,
  // k = 0..3 pick four different systems per identity (four different runs of ten systems), so no
  // live grant repeats. Grants stay in the identity's own environment (a run of ten systems holds
  // five dev, two staging and three prod ones), except one in sixteen that reaches across.
  `INSERT INTO "Grant" ("id", "identityId", "systemId", "permission", "mode", "expiresAt", "createdAt")
   SELECT 'scale-grant-' || g || '-' || k, 'scale-identity-' || g,
          'scale-system-' || (1 + CASE
            WHEN k = 3 AND g % 4 = 0 THEN x
            WHEN (g / 10) % 10 < 5 THEN x - x % 10 + x % 5
            WHEN (g / 10) % 10 < 7 THEN x - x % 10 + 5 + x % 2
            ELSE x - x % 10 + 7 + x % 3
          END),
          -- Mostly read; write for a sixth; deploy and admin are rare.
          CASE WHEN r < 0.8 THEN 'READ'::"Permission" WHEN r < 0.96 THEN 'WRITE'::"Permission" WHEN r < 0.98 THEN 'DEPLOY'::"Permission" ELSE 'ADMIN'::"Permission" END,
          CASE WHEN random() < 0.15 THEN 'JUST_IN_TIME'::"GrantMode" ELSE 'STANDING'::"GrantMode" END,
          CASE WHEN random() < 0.2 THEN now() + ((1 + floor(random() * 30))::int || ' days')::interval END,
          now()
   FROM generate_series(1, ${LARGE.identities}) g, generate_series(0, ${LARGE.grantsPerIdentity - 1}) k,
        LATERAL (SELECT (g * 31 + k * 1217) % ${LARGE.systems} AS x, random() AS r) AS pick`,
  `INSERT INTO "Credential" ("id", "identityId", "type", "label", "fingerprint", "status", "issuedAt", "expiresAt",
                             "lastUsedAt", "lastRotatedAt", "rotationPeriodDays", "vaultPath", "createdAt")
   SELECT 'scale-credential-' || g || '-' || k, 'scale-identity-' || g,
          (enum_range(NULL::"CredentialType"))[1 + (g + k) % 7],
          'credential ' || k || ' of identity ' || g,
          'SHA256:' || md5(g || '-' || k),
          CASE WHEN random() < 0.9 THEN 'ACTIVE'::"CredentialStatus" ELSE 'REVOKED'::"CredentialStatus" END,
          -- Most expire after 90 days and were used in the last few days; a tail never expires or went idle.
          issued, CASE WHEN random() < 0.95 THEN issued + interval '90 days' END,
          CASE WHEN random() < 0.95 THEN GREATEST(issued, now() - random() * interval '3 days') ELSE issued + (floor(random() * 30)::int || ' days')::interval END,
          issued,
          (ARRAY[90, 180, 365, NULL])[1 + floor(random() * 4)::int],
          'secret/scale/' || g || '/' || k, now()
   FROM (SELECT g, k, now() - (floor(CASE WHEN random() < 0.85 THEN random() * 60 WHEN random() < 0.7 THEN 60 + random() * 60 ELSE 120 + random() * 780 END)::int || ' days')::interval AS issued
         FROM generate_series(1, ${LARGE.identities}) g, generate_series(0, ${LARGE.credentialsPerIdentity - 1}) k) AS rows`,
  // The reviews the scheduler would have opened (lib/reviews/due.ts), and one attested review a
  // cadence ago for every third identity in service.
  `INSERT INTO "Review" ("id", "identityId", "status", "trigger", "openedAt", "dueAt")
   SELECT 'scale-review-open-' || i."id", i."id", 'OPEN', 'SCHEDULED', LEAST(now(), i."nextReviewAt" - interval '${REVIEW_NOTICE_DAYS} days'), i."nextReviewAt"
   FROM "AiIdentity" i
   WHERE i."id" LIKE 'scale-identity-%' AND i."status" IN ('PROPOSED', 'ACTIVE', 'SUSPENDED')
     AND i."nextReviewAt" <= date_trunc('second', now()) + interval '${REVIEW_NOTICE_DAYS} days'`,
  `INSERT INTO "Review" ("id", "identityId", "status", "trigger", "openedAt", "dueAt", "stillNeeded", "purposeUnchanged",
                         "permissionsMinimal", "credentialsRotated", "outcome", "attestedById", "closedAt")
   SELECT 'scale-review-done-' || i."id", i."id", 'COMPLETED', 'SCHEDULED', i."nextReviewAt" - interval '104 days',
          i."nextReviewAt" - interval '90 days', true, true, true, true, 'KEEP', i."ownerId", i."nextReviewAt" - interval '95 days'
   FROM "AiIdentity" i
   WHERE i."id" LIKE 'scale-identity-%' AND i."status" IN ('PROPOSED', 'ACTIVE', 'SUSPENDED') AND right(i."id", 1) IN ('0', '3', '6')`,
];

/**
 * Loads the large inventory and its approval requests (seed-large-approvals.ts) unless they are
 * already there. Returns whether it loaded anything.
 * `ownerDb` connects as the tables' owner: only the owner may VACUUM them (the app role's VACUUM is
 * skipped with a warning), so without it the planner waits for autovacuum's statistics.
 */
export async function seedLargeInventory(
  db: Db,
  log: (message: string) => void = () => undefined,
  size: InventorySize = LARGE,
  ownerDb: Db = db,
  approvals: ApprovalsSize = LARGE_APPROVALS,
): Promise<boolean> {
  const tables = ["System", "User", "ApprovalRequest", "ApprovalDecision"];
  let loaded = false;
  if (!(await db.aiIdentity.findUnique({ where: { id: "scale-identity-1" } }))) {
    const started = Date.now();
    await db.$transaction(
      async (tx) => {
        for (const statement of statements(size)) await tx.$executeRawUnsafe(statement);
        await recordAuditEvent(tx, { type: "SYSTEM", id: null, label: "seed:large" }, { action: "demo.seeded_large", data: size });
      },
      { timeout: 30 * 60_000 },
    );
    log(`Inserted rows in ${((Date.now() - started) / 1000).toFixed(1)} s; computing risk tiers…`);
    // The first rating of freshly loaded identities, not a change of tier: their review dates stand.
    const rated = await recomputeAllRisk(db, undefined, undefined, undefined, { moveReview: false });
    log(`Computed ${rated} risk tiers; total ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    tables.push("AiIdentity", "Grant", "Credential", "Review");
    loaded = true;
  }
  // Also into a database loaded before approval requests joined the seed.
  if (await seedLargeApprovals(db, size, log, approvals)) loaded = true;
  if (!loaded) return false;
  // What autovacuum would do shortly after a bulk load: statistics for the
  // planner and a visibility map, so index scans need not visit every heap page.
  for (const table of tables) await ownerDb.$executeRawUnsafe(`VACUUM ANALYZE "${table}"`);
  return true;
}
