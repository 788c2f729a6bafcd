import type { Actor } from "@/lib/auth/actor";
import type { AuditEntry } from "@/lib/audit/record";
import type { Tx } from "@/lib/db/client";
import type { IdentityStatus, Permission } from "@/lib/db/generated/enums";
import { actorUserId } from "@/lib/inventory/access";
import { LIVE_STATUSES } from "@/lib/inventory/lifecycle";
import { LIFECYCLE_SETTINGS_KEY, lifecycleSettingsFrom, type LifecycleSettings } from "@/lib/lifecycle/settings";
import { newId } from "@/lib/db/ids";
import { DAY_MS } from "@/lib/time";

// Re-review on change. A new model, autonomy, purpose or owner, or new access
// that can change things (a grant of WRITE, DEPLOY or ADMIN), changes what the
// last attestation vouched for. So, in the transaction of the change itself:
// a review with trigger CHANGE opens (or the change joins the identity's open
// review, whose due date is pulled forward to the change window, never pushed
// back), and the identity's active credentials are flagged for rotation, since
// the secrets were issued on the old terms. Environment is not a trigger here
// only because it cannot change: an identity is registered per environment
// (name + environment is unique) and updateIdentityInput leaves it out.
// Only identities in service are reviewed; a change to a retired one opens nothing.
// Just-in-time grants that an agent obtains through the access API (lib/access)
// are not a trigger: policy judged each one for one task and it lives minutes.

/** Permissions whose new grant asks for a re-review: everything that can change things. */
export const CHANGE_TRIGGER_PERMISSIONS: readonly Permission[] = ["WRITE", "DEPLOY", "ADMIN"];

/**
 * One entry of Review.changes, kept flat so the form, the API and an auditor
 * read it as is: `field` is "model", "autonomy", "purpose", "owner",
 * "grant" or "footprint" (a scan saw the tool reach further, lib/discovery/reach.ts); `from` and `to` are display values (an owner's name or email, a
 * grant as "write on repo-x"), null for none.
 */
export interface ReviewChange {
  /** ISO 8601, UTC. */
  at: string;
  field: "model" | "autonomy" | "purpose" | "owner" | "grant" | "footprint";
  from: string | null;
  to: string | null;
  byLabel: string;
}

export type ChangeInput = Omit<ReviewChange, "at" | "byLabel">;

/** "model changed from X to Y", "owner changed", …: the review's reason and the credentials' rotation reason. */
export function describeChange(change: ChangeInput): string {
  switch (change.field) {
    case "model":
      return `model changed from ${change.from ?? "none"} to ${change.to ?? "none"}`;
    case "autonomy":
      return `autonomy changed from ${(change.from ?? "none").toLowerCase()} to ${(change.to ?? "none").toLowerCase()}`;
    case "purpose":
      return "purpose changed";
    case "owner":
      return "owner changed";
    case "grant":
      return `${change.to ?? "access"} granted`;
    case "footprint":
      return `a repository scan found ${change.to ?? "access"} beyond its grants`;
  }
}

/** Review.changes is JSON; only well-formed entries are shown. */
export function parseReviewChanges(value: unknown): ReviewChange[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (entry): entry is ReviewChange =>
      Boolean(entry) && typeof entry === "object" && typeof entry.at === "string" && typeof entry.field === "string",
  );
}

export interface ChangedIdentity {
  id: string;
  status: IdentityStatus;
  nextReviewAt: Date;
}

export interface ChangeReviewResult {
  /** To record with the change (none for an identity out of service). */
  audits: AuditEntry[];
  /**
   * The review's due date, when it comes before the identity's next review:
   * "review overdue" reads that date alone, so the caller moves it there in
   * its transaction. Callers that re-rate the identity pass it to
   * recomputeRisk (`reviewDueBy`), which writes it with the rating in one
   * UPDATE of the identity's row instead of two.
   */
  reviewDueBy: Date | null;
  /** The lifecycle settings it read, for recomputeRisk (`settings`) to use rather than read again. */
  settings: LifecycleSettings | null;
}

/**
 * Flags the identity's active credentials for rotation and reads what the
 * review needs (the lifecycle settings, the identity's open review) in one
 * statement: a change review happens inside the change's transaction, which
 * pays for every round trip (an approved grant's is one of them).
 */
async function flagCredentialsAndReadReview(tx: Tx, identityId: string, reason: string, now: Date) {
  const [state] = await tx.$queryRaw<
    { flagged: number; settings: unknown; open: { id: string; dueAt: string; changes: unknown } | null }[]
  >`
    WITH "flagged" AS (
      UPDATE "Credential" SET "rotationRequiredAt" = ${now}, "rotationRequiredReason" = ${reason}
      WHERE "identityId" = ${identityId} AND "status" = 'ACTIVE' AND "rotationRequiredAt" IS NULL
      RETURNING 1
    )
    SELECT (SELECT count(*)::int FROM "flagged") AS "flagged",
           (SELECT "value" FROM "Setting" WHERE "key" = ${LIFECYCLE_SETTINGS_KEY}) AS "settings",
           (SELECT json_build_object('id', r."id", 'dueAt', r."dueAt", 'changes', r."changes")
            FROM "Review" r WHERE r."identityId" = ${identityId} AND r."status" = 'OPEN' LIMIT 1) AS "open"`;
  return state!;
}

/**
 * Opens a CHANGE review for `changes` (or adds them to the open review) and
 * flags the identity's active credentials for rotation, inside the caller's
 * transaction, which must hold the identity's lock (lockIdentity) and read
 * `identity` after its own update. `handoverFromId` is the previous owner when
 * the owner changed. Leaves the identity's row to the caller (see
 * ChangeReviewResult), which recomputes its risk after its own change anyway.
 */
export async function applyChangeReview(
  tx: Tx,
  actor: Actor,
  identity: ChangedIdentity,
  changes: ChangeInput[],
  { handoverFromId, now = new Date() }: { handoverFromId?: string; now?: Date } = {},
): Promise<ChangeReviewResult> {
  if (changes.length === 0 || !LIVE_STATUSES.includes(identity.status)) return { audits: [], reviewDueBy: null, settings: null };
  const entries: ReviewChange[] = changes.map((change) => ({ at: now.toISOString(), ...change, byLabel: actor.label }));
  const described = changes.map(describeChange).join("; ");

  const state = await flagCredentialsAndReadReview(tx, identity.id, described, now);
  const settings = lifecycleSettingsFrom(state.settings);
  const window = new Date(now.getTime() + settings.changeReviewDays * DAY_MS);
  const flagged = state.flagged > 0 ? { credentialsFlagged: state.flagged } : {};

  const open = state.open;
  let audit: AuditEntry;
  let dueAt: Date;
  if (open) {
    const openDueAt = new Date(open.dueAt);
    dueAt = openDueAt < window ? openDueAt : window;
    const joined = [...parseReviewChanges(open.changes), ...entries];
    await tx.$executeRaw`
      UPDATE "Review" SET "changes" = ${JSON.stringify(joined)}::jsonb, "dueAt" = ${dueAt},
                          "handoverFromId" = coalesce(${handoverFromId ?? null}, "handoverFromId")
      WHERE "id" = ${open.id}`;
    audit = {
      action: "review.change_added",
      targetType: "identity",
      targetId: identity.id,
      data: {
        reviewId: open.id,
        changes: entries,
        dueAt: dueAt.toISOString(),
        ...(dueAt < openDueAt ? { previousDueAt: openDueAt.toISOString() } : {}),
        ...(handoverFromId ? { handoverFromId } : {}),
        ...flagged,
      },
    };
  } else {
    dueAt = window;
    const reviewId = newId();
    const reason = `Re-review after a change: ${described}`;
    await tx.$executeRaw`
      INSERT INTO "Review" ("id", "identityId", "status", "trigger", "reason", "openedById", "openedAt", "dueAt", "changes", "handoverFromId")
      VALUES (${reviewId}, ${identity.id}, 'OPEN', 'CHANGE', ${reason}, ${actorUserId(actor) ?? null}, ${now}, ${dueAt},
              ${JSON.stringify(entries)}::jsonb, ${handoverFromId ?? null})`;
    audit = {
      action: "review.opened",
      targetType: "identity",
      targetId: identity.id,
      data: {
        reviewId,
        trigger: "CHANGE",
        dueAt: dueAt.toISOString(),
        reason,
        changes: entries,
        ...(handoverFromId ? { handoverFromId } : {}),
        ...flagged,
      },
    };
  }
  return { audits: [audit], reviewDueBy: dueAt < identity.nextReviewAt ? dueAt : null, settings };
}

/** When the open review's handover happened: its latest owner change, else when it opened. */
export function handedOverAt(review: { changes: unknown; openedAt: Date }): Date {
  const owner = parseReviewChanges(review.changes)
    .filter((change) => change.field === "owner")
    .at(-1);
  return owner ? new Date(owner.at) : review.openedAt;
}
