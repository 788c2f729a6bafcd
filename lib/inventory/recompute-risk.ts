import type { Db, Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { findAllInPages } from "@/lib/db/cursor-page";
import { recordAuditEvent } from "@/lib/audit/record";
import { toAuditActor, type Actor } from "@/lib/auth/actor";
import type { RiskTier } from "@/lib/db/generated/enums";
import { notFound } from "@/lib/errors";
import { cadenceForTier, lifecycleSettings, type LifecycleSettings } from "@/lib/lifecycle/settings";
import { DAY_MS } from "@/lib/time";
import { LIVE_STATUSES } from "./lifecycle";
import { assessRisk, type RiskInput } from "./risk";

/**
 * "A tier change moves the next review date forward, never back": when an
 * identity in service changes tier, its next review comes no later than one
 * cadence of the new tier from now. Returns the new date, or null when the
 * current one is already sooner (or nothing changed).
 */
export function nextReviewAfterTierChange(
  identity: { status: string; riskTier: RiskTier; nextReviewAt: Date },
  tier: RiskTier,
  settings: LifecycleSettings,
  now: Date,
): Date | null {
  if (tier === identity.riskTier || !LIVE_STATUSES.includes(identity.status as never)) return null;
  const due = new Date(now.getTime() + cadenceForTier(settings, tier) * DAY_MS);
  return due < identity.nextReviewAt ? due : null;
}

export interface RecomputeOptions {
  /**
   * False when the identity is being registered: its first rating is no
   * change of tier, so the review date its registration chose stands.
   */
  moveReview?: boolean;
  /** The lifecycle settings, when the caller has them (read once, not per tier change). */
  settings?: LifecycleSettings | null;
  /**
   * A date the next review must come no later than (a change review's due
   * date, lib/reviews/change.ts): written with the rating, in the same UPDATE.
   */
  reviewDueBy?: Date | null;
}

/**
 * Recomputes and stores one identity's risk tier and reasons. Every mutation
 * that changes an input of the rule calls this in its own transaction. The
 * lifecycle settings are read only when the tier changed, which is rare, so
 * the common call stays one statement, and at most one UPDATE of the
 * identity's row follows it.
 */
export async function recomputeRisk(
  tx: Tx,
  identityId: string,
  now = new Date(),
  { moveReview = true, settings, reviewDueBy }: RecomputeOptions = {},
) {
  const stored = await readRiskInput(tx, identityId);
  const pulledForward = reviewDueBy && reviewDueBy < stored.nextReviewAt ? reviewDueBy : null;
  const identity = pulledForward ? { ...stored, nextReviewAt: pulledForward } : stored;
  const { tier, reasons } = assessRisk(identity, now);
  const rerated = tier !== identity.riskTier || JSON.stringify(reasons) !== JSON.stringify(identity.riskReasons);
  if (rerated || pulledForward) {
    const byTier =
      moveReview && tier !== identity.riskTier
        ? nextReviewAfterTierChange(identity, tier, settings ?? (await lifecycleSettings(tx)), now)
        : null;
    const nextReviewAt = byTier ?? pulledForward;
    // Plain SQL without RETURNING: the ORM's update reads the whole row back, which nobody here needs.
    const set = [
      ...(rerated ? [Prisma.sql`"riskTier" = ${tier}::"RiskTier"`, Prisma.sql`"riskReasons" = ${JSON.stringify(reasons)}::jsonb`] : []),
      ...(nextReviewAt ? [Prisma.sql`"nextReviewAt" = ${nextReviewAt}`] : []),
      Prisma.sql`"updatedAt" = ${new Date()}`,
    ];
    await tx.$executeRaw`UPDATE "AiIdentity" SET ${Prisma.join(set, ", ")} WHERE "id" = ${identityId}`;
  }
  return { tier, reasons };
}

type JsonDate = string | null;
interface RiskInputRow extends Omit<RiskInput, "nextReviewAt" | "grants" | "credentials"> {
  riskTier: RiskTier;
  riskReasons: unknown;
  nextReviewAt: Date;
  grants: (Omit<RiskInput["grants"][number], "expiresAt" | "revokedAt"> & { expiresAt: JsonDate; revokedAt: JsonDate })[];
  credentials: (Omit<RiskInput["credentials"][number], "issuedAt" | "expiresAt" | "lastUsedAt" | "lastRotatedAt" | "rotationRequiredAt"> & {
    issuedAt: string;
    expiresAt: JsonDate;
    lastUsedAt: JsonDate;
    lastRotatedAt: JsonDate;
    rotationRequiredAt: JsonDate;
  })[];
}

const toDate = (value: JsonDate) => (value === null ? null : new Date(value));

/**
 * What the rule reads of one identity (its grants with their systems, its
 * credentials) and its stored rating, in one statement: recomputing runs inside
 * the mutation's transaction, which pays for every round trip (four with
 * Prisma's includes).
 */
async function readRiskInput(tx: Tx, identityId: string): Promise<RiskInput & { riskTier: RiskTier; riskReasons: unknown }> {
  const [row] = await tx.$queryRaw<RiskInputRow[]>`
    SELECT i."status"::text AS "status", i."environment"::text AS "environment", i."autonomy"::text AS "autonomy",
           i."nextReviewAt", i."riskTier"::text AS "riskTier", i."riskReasons",
           coalesce((SELECT json_agg(json_build_object('permission', g."permission", 'mode', g."mode", 'expiresAt', g."expiresAt",
                                                       'revokedAt', g."revokedAt", 'system', json_build_object(
                                                         'name', s."name", 'environment', s."environment", 'sensitivity', s."sensitivity"))
                                     ORDER BY g."id")
                     FROM "Grant" g JOIN "System" s ON s."id" = g."systemId" WHERE g."identityId" = i."id"), '[]'::json) AS "grants",
           coalesce((SELECT json_agg(json_build_object('type', c."type", 'label', c."label", 'status', c."status", 'issuedAt', c."issuedAt",
                                                       'expiresAt', c."expiresAt", 'lastUsedAt', c."lastUsedAt",
                                                       'lastRotatedAt', c."lastRotatedAt", 'rotationPeriodDays', c."rotationPeriodDays",
                                                       'rotationRequiredAt', c."rotationRequiredAt", 'rotationRequiredReason', c."rotationRequiredReason")
                                     ORDER BY c."id")
                     FROM "Credential" c WHERE c."identityId" = i."id"), '[]'::json) AS "credentials"
    FROM "AiIdentity" i WHERE i."id" = ${identityId}`;
  if (!row) throw notFound("That identity");
  return {
    ...row,
    grants: row.grants.map((grant) => ({ ...grant, expiresAt: toDate(grant.expiresAt), revokedAt: toDate(grant.revokedAt) })),
    credentials: row.credentials.map((credential) => ({
      ...credential,
      issuedAt: new Date(credential.issuedAt),
      expiresAt: toDate(credential.expiresAt),
      lastUsedAt: toDate(credential.lastUsedAt),
      lastRotatedAt: toDate(credential.lastRotatedAt),
      rotationRequiredAt: toDate(credential.rotationRequiredAt),
    })),
  };
}

/** One identity whose tier moved in a sweep, and why it is rated so now. */
export interface TierChange {
  identityId: string;
  from: string;
  to: string;
  reasons: string[];
  /** Set when the new tier's cadence brought the next review forward. */
  nextReviewAt?: { from: Date; to: Date };
}

/**
 * Recomputes every identity, for inputs that change with time alone (credential
 * age, overdue reviews). Works in batches and writes each batch's changes in
 * one statement, inside a transaction with `record` (its audit event), so a
 * re-rating is never written without it. Returns how many identities changed
 * tier or reasons.
 */
export async function recomputeAllRisk(
  db: Db,
  now = new Date(),
  batchSize = 2000,
  record?: (tx: Tx, batch: { changed: number; tierChanges: TierChange[] }) => Promise<unknown>,
  { moveReview = true }: RecomputeOptions = {},
): Promise<number> {
  let changed = 0;
  // Read once for the whole sweep: the tier-change rule needs each tier's cadence.
  const settings = await lifecycleSettings(db);
  const batches = findAllInPages(batchSize, (page) =>
    db.aiIdentity.findMany({ orderBy: { id: "asc" }, include: { grants: { include: { system: true } }, credentials: true }, ...page }),
  );
  for await (const batch of batches) {
    const ids: string[] = [];
    const tiers: string[] = [];
    const reasons: string[] = [];
    const nextReviews: (Date | null)[] = [];
    const tierChanges: TierChange[] = [];
    for (const identity of batch) {
      const assessment = assessRisk(identity, now);
      if (assessment.tier !== identity.riskTier || JSON.stringify(assessment.reasons) !== JSON.stringify(identity.riskReasons)) {
        const nextReviewAt = moveReview ? nextReviewAfterTierChange(identity, assessment.tier, settings, now) : null;
        ids.push(identity.id);
        tiers.push(assessment.tier);
        reasons.push(JSON.stringify(assessment.reasons));
        nextReviews.push(nextReviewAt);
        if (assessment.tier !== identity.riskTier) {
          tierChanges.push({
            identityId: identity.id,
            from: identity.riskTier,
            to: assessment.tier,
            reasons: assessment.reasons,
            ...(nextReviewAt ? { nextReviewAt: { from: identity.nextReviewAt, to: nextReviewAt } } : {}),
          });
        }
      }
    }
    if (ids.length > 0) {
      await db.$transaction(async (tx) => {
        await tx.$executeRaw`
          UPDATE "AiIdentity" AS identity
          SET "riskTier" = changed.tier::"RiskTier", "riskReasons" = changed.reasons::jsonb,
              "nextReviewAt" = coalesce(changed.next_review, identity."nextReviewAt")
          FROM unnest(${ids}::text[], ${tiers}::text[], ${reasons}::text[], ${nextReviews}::timestamptz[])
            AS changed(id, tier, reasons, next_review)
          WHERE identity."id" = changed.id`;
        await record?.(tx, { changed: ids.length, tierChanges });
      });
      changed += ids.length;
    }
  }
  return changed;
}

/**
 * Re-rates every identity: each batch of changes is written together with a
 * `risk.rerated` audit event for every identity whose tier moved, then one
 * `risk.recomputed` event says how many changed in all. The CLI (`risk:recompute`, `jobs:run`) and the scheduled
 * job both call this, so a sweep is audited the same way whoever started it.
 * Safe to run twice or after a crash half-way: the rating is recomputed from
 * the stored inputs, so a repeat only writes what is still out of date. The
 * event is recorded even when nothing changed, as evidence that the sweep ran.
 */
export async function recomputeAllRiskAndRecord(db: Db, actor: Actor, now = new Date()): Promise<{ changed: number }> {
  // Each batch commits with one event per identity whose tier moved, on that identity's timeline
  // (a reason's wording alone, such as "overdue by 4 days" instead of 3, is not an event).
  const changed = await recomputeAllRisk(db, now, undefined, async (tx, batch) => {
    for (const { identityId, from, to, reasons, nextReviewAt } of batch.tierChanges) {
      await recordAuditEvent(tx, toAuditActor(actor), {
        action: "risk.rerated",
        targetType: "identity",
        targetId: identityId,
        data: { from, to, reasons, ...(nextReviewAt ? { nextReviewAt } : {}) },
      });
    }
  });
  await db.$transaction((tx) => recordAuditEvent(tx, toAuditActor(actor), { action: "risk.recomputed", data: { changed } }));
  return { changed };
}
