import type { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { defineMutation } from "@/lib/auth/mutation";
import { identityCreateChecks, identityReactivateChecks, identityUpdateChecks } from "@/lib/approvals/checks";
import type { AuditEntry } from "@/lib/audit/record";
import type { Tx } from "@/lib/db/client";
import type { AiIdentity } from "@/lib/db/generated/client";
import type { IdentityStatus } from "@/lib/db/generated/enums";
import { AppError } from "@/lib/errors";
import { cancelOpenReviews } from "@/lib/reviews/cancel";
import { applyChangeReview, type ChangeInput } from "@/lib/reviews/change";
import { revokeAccessGrantsOf } from "@/lib/access/revoke";
import { createIdentityInput, identityIdInput, updateIdentityInput } from "@/lib/validation/inventory";
import { actorUserId, assertMayManageIdentity, isInventoryManager, lockIdentity } from "./access";
import { recomputeRisk } from "./recompute-risk";
import { DAY_MS } from "@/lib/time";

async function assertActiveUser(tx: Tx, userId: string, field: string) {
  const user = await tx.user.findUnique({ where: { id: userId } });
  if (!user) throw new AppError("validation_failed", `The ${field} does not exist.`, { [field]: "must be an existing user" });
  if (!user.active)
    throw new AppError("validation_failed", `${user.email} is deactivated and cannot own identities.`, {
      [field]: "must be an active user",
    });
  // An auditor changes nothing, so could never look after an identity it owned.
  if (user.roles.includes("AUDITOR"))
    throw new AppError("validation_failed", `${user.email} is an auditor and cannot own identities.`, {
      [field]: "must not be an auditor",
    });
}

async function assertTeamExists(tx: Tx, teamId: string) {
  if (!(await tx.team.findUnique({ where: { id: teamId } }))) {
    throw new AppError("validation_failed", "That team does not exist.", { teamId: "must be an existing team" });
  }
}

async function assertNameFree(tx: Tx, name: string, environment: string, exceptId?: string) {
  const clash = await tx.aiIdentity.findUnique({ where: { name_environment: { name, environment: environment as never } } });
  if (clash && clash.id !== exceptId) {
    throw new AppError("conflict", `An identity named ${name} already exists in ${environment}.`, {
      name: `is already used in ${environment}`,
    });
  }
}

/**
 * Registers one identity inside the caller's transaction and returns the
 * audit entry to record. Members register what they are accountable for
 * (they must be its owner or backup owner); security leads and admins may
 * register for anyone.
 */
export async function applyIdentityCreate(
  tx: Tx,
  actor: Actor,
  input: z.output<typeof createIdentityInput>,
  /**
   * The template it is made from (lib/templates/register.ts), and PROPOSED for
   * an identity registered from a discovered footprint (lib/discovery/register.ts),
   * which its owner activates once they have vouched for it.
   */
  from?: { templateId?: string; templateVersion?: number; status?: "PROPOSED" },
) {
  const userId = actorUserId(actor);
  if (!isInventoryManager(actor) && input.ownerId !== userId && input.backupOwnerId !== userId) {
    throw new AppError(
      "forbidden",
      "You can register identities you own or back up; ask a security lead to register one for someone else.",
      {
        ownerId: "must be you (or make yourself the backup owner)",
      },
    );
  }
  await assertActiveUser(tx, input.ownerId, "ownerId");
  if (input.backupOwnerId) await assertActiveUser(tx, input.backupOwnerId, "backupOwnerId");
  if (input.teamId) await assertTeamExists(tx, input.teamId);
  await assertNameFree(tx, input.name, input.environment);
  if (input.externalId && (await tx.aiIdentity.findUnique({ where: { externalId: input.externalId } }))) {
    throw new AppError("conflict", `An identity with external id ${input.externalId} already exists.`, { externalId: "is already used" });
  }

  const identity = await tx.aiIdentity.create({
    data: {
      ...input,
      // Approval of sensitive registrations arrives with the approvals workflow; until then a
      // registration is live at once and shows up in the inventory for review.
      nextReviewAt: new Date(Date.now() + input.reviewCadenceDays * DAY_MS),
      ...from,
      status: from?.status ?? "ACTIVE",
    },
  });
  // Its first rating is no change of tier: the cadence chosen at registration sets its first review.
  const risk = await recomputeRisk(tx, identity.id, undefined, { moveReview: false });
  const audit: AuditEntry = {
    action: "identity.created",
    targetType: "identity",
    targetId: identity.id,
    data: { ...input, riskTier: risk.tier },
  };
  return { identity: { ...identity, riskTier: risk.tier, riskReasons: risk.reasons }, audit };
}

/** Registers an identity (see applyIdentityCreate). */
export const createIdentity = defineMutation({
  name: "identities.create",
  description: "register AI identities",
  permission: "inventory:write",
  input: createIdentityInput,
  sensitive: identityCreateChecks,
  async run({ tx, actor, audit }, input) {
    const result = await applyIdentityCreate(tx, actor, input);
    await audit(result.audit);
    return result.identity;
  },
});

export type IdentityUpdateInput = z.output<typeof updateIdentityInput>;

/**
 * Edits one identity inside the caller's transaction and returns the audit
 * entry to record. Reassigning the owner clears an orphan flag. The single
 * edit and the bulk action both go through here, so they cannot drift apart.
 */
export async function applyIdentityUpdate(tx: Tx, actor: Actor, { identityId, ...changes }: IdentityUpdateInput) {
  const before = await lockIdentity(tx, identityId);
  assertMayManageIdentity(actor, before, "edit this identity");
  if (changes.ownerId && changes.ownerId !== before.ownerId) await assertActiveUser(tx, changes.ownerId, "ownerId");
  if (changes.backupOwnerId) await assertActiveUser(tx, changes.backupOwnerId, "backupOwnerId");
  const ownerId = changes.ownerId ?? before.ownerId;
  const backupOwnerId = changes.backupOwnerId !== undefined ? changes.backupOwnerId : before.backupOwnerId;
  if (backupOwnerId === ownerId) {
    throw new AppError("validation_failed", "The backup owner must be someone other than the owner.", {
      backupOwnerId: "must be someone other than the owner",
    });
  }
  if (changes.teamId) await assertTeamExists(tx, changes.teamId);
  if (changes.name) await assertNameFree(tx, changes.name, before.environment, identityId);

  const reassigned = changes.ownerId !== undefined && changes.ownerId !== before.ownerId;
  // Just-in-time tokens were issued on the previous owner's word.
  const jitTokensRevoked = reassigned ? await revokeAccessGrantsOf(tx, { identityId }, "owner changed", new Date()) : 0;
  const identity = await tx.aiIdentity.update({
    where: { id: identityId },
    data: {
      ...changes,
      ...(reassigned ? { orphanedAt: null } : {}),
      // A new cadence restarts the review clock; re-sending the current one does not.
      ...(changes.reviewCadenceDays && changes.reviewCadenceDays !== before.reviewCadenceDays
        ? { nextReviewAt: new Date(Date.now() + changes.reviewCadenceDays * DAY_MS) }
        : {}),
    },
  });
  const previousValues = before as Record<string, unknown>;
  const changed = Object.fromEntries(Object.entries(changes).filter(([key, value]) => String(previousValues[key]) !== String(value)));
  // A new model, autonomy, purpose or owner asks for a re-review and new secrets (lib/reviews/change.ts).
  const change = await applyChangeReview(tx, actor, identity, await triggeringChanges(tx, before, changed), {
    handoverFromId: reassigned ? before.ownerId : undefined,
  });
  const followUps = change.audits;
  const risk = await recomputeRisk(tx, identityId, undefined, { reviewDueBy: change.reviewDueBy, settings: change.settings });
  const audit: AuditEntry = {
    action: reassigned ? "identity.owner_reassigned" : "identity.updated",
    targetType: "identity",
    targetId: identityId,
    data: {
      changed,
      // What each changed field was, so a review can show "from → to" (lib/reviews/changes-since.ts).
      previous: Object.fromEntries(Object.keys(changed).map((key) => [key, previousValues[key] ?? null])),
      previousOwnerId: reassigned ? before.ownerId : undefined,
      ...(jitTokensRevoked > 0 ? { jitTokensRevoked } : {}),
      riskTier: risk.tier,
    },
  };
  return { identity: { ...identity, riskTier: risk.tier, riskReasons: risk.reasons }, audit, followUps };
}

/** The changed fields that trigger a re-review, as the review lists them (owners by name). */
async function triggeringChanges(tx: Tx, before: AiIdentity, changed: Record<string, unknown>): Promise<ChangeInput[]> {
  const result: ChangeInput[] = [];
  const text = (value: unknown) => (value === null || value === undefined || value === "" ? null : String(value));
  if ("model" in changed) result.push({ field: "model", from: text(before.model), to: text(changed.model) });
  if ("autonomy" in changed) result.push({ field: "autonomy", from: before.autonomy, to: text(changed.autonomy) });
  if ("purpose" in changed) result.push({ field: "purpose", from: before.purpose, to: text(changed.purpose) });
  if (typeof changed.ownerId === "string") {
    const people = await tx.user.findMany({
      where: { id: { in: [before.ownerId, changed.ownerId] } },
      select: { id: true, name: true, email: true },
    });
    const label = (id: string) => {
      const person = people.find((user) => user.id === id);
      return person ? (person.name ?? person.email) : id;
    };
    result.push({ field: "owner", from: label(before.ownerId), to: label(changed.ownerId) });
  }
  return result;
}

/** Edits an identity. Reassigning the owner clears an orphan flag. */
export const updateIdentity = defineMutation({
  name: "identities.update",
  description: "edit AI identities",
  permission: "inventory:write",
  input: updateIdentityInput,
  sensitive: identityUpdateChecks,
  async run({ tx, actor, audit }, input) {
    const result = await applyIdentityUpdate(tx, actor, input);
    await audit(result.audit);
    for (const entry of result.followUps) await audit(entry);
    return result.identity;
  },
});

/**
 * Ends everything an identity can act with, when it leaves service (retired,
 * expired, or its API token revoked): just-in-time tokens are revoked, live
 * grants end, active credentials are marked revoked, an open review is
 * cancelled. Its records stay, for audit.
 */
export async function endAccess(tx: Tx, identityId: string, now: Date) {
  const jitTokensRevoked = await revokeAccessGrantsOf(tx, { identityId }, "identity left service", now);
  const grants = await tx.grant.updateMany({ where: { identityId, revokedAt: null }, data: { revokedAt: now } });
  const credentials = await tx.credential.updateMany({
    where: { identityId, status: "ACTIVE" },
    data: { status: "REVOKED", revokedAt: now },
  });
  const reviewsCancelled = await cancelOpenReviews(tx, identityId, now);
  return { grantsEnded: grants.count, credentialsRevoked: credentials.count, reviewsCancelled, jitTokensRevoked };
}

/** Which status changes exist, from which statuses, and whether only security leads and admins may make them. */
export const TRANSITIONS: Record<
  "activate" | "suspend" | "reactivate" | "retire",
  { from: IdentityStatus[]; to: IdentityStatus; managersOnly: boolean }
> = {
  // A proposed identity (registered from a discovered footprint) goes into service once its owner vouches for it.
  activate: { from: ["PROPOSED"], to: "ACTIVE", managersOnly: false },
  suspend: { from: ["PROPOSED", "ACTIVE"], to: "SUSPENDED", managersOnly: false },
  // An expired identity comes back only through a security lead, once its expiry is extended, and with no access:
  // its grants and credentials ended when it expired.
  reactivate: { from: ["SUSPENDED", "EXPIRED"], to: "ACTIVE", managersOnly: true },
  retire: { from: ["PROPOSED", "ACTIVE", "SUSPENDED", "EXPIRED"], to: "RETIRED", managersOnly: false },
};

export type IdentityTransition = keyof typeof TRANSITIONS;

/**
 * Moves one identity to another status inside the caller's transaction and
 * returns the audit entry to record. There is no hard delete: retiring ends
 * grants and revokes credentials but keeps the record and its history for audit.
 */
export async function applyIdentityTransition(
  tx: Tx,
  actor: Actor,
  verb: IdentityTransition,
  { identityId, reason }: z.output<typeof identityIdInput>,
) {
  const transition = TRANSITIONS[verb];
  const before = await lockIdentity(tx, identityId);
  if (transition.managersOnly && !isInventoryManager(actor)) {
    throw new AppError("forbidden", `Only security leads and admins may ${verb} an identity.`);
  }
  assertMayManageIdentity(actor, before, `${verb} this identity`);
  if (!transition.from.includes(before.status)) {
    throw new AppError(
      "conflict",
      `${before.name} is ${before.status.toLowerCase()} and cannot be ${transition.to.toLowerCase()} from there.`,
    );
  }
  if (verb === "reactivate" && before.expiresAt <= new Date()) {
    throw new AppError("conflict", `${before.name} has passed its expiry date; extend the expiry first.`);
  }
  const now = new Date();
  // A suspended identity's just-in-time tokens stop at once and stay stopped if it is reactivated.
  const ended =
    verb === "retire"
      ? await endAccess(tx, identityId, now)
      : {
          reviewsCancelled: 0,
          jitTokensRevoked: verb === "suspend" ? await revokeAccessGrantsOf(tx, { identityId }, "identity suspended", now) : 0,
        };
  const { reviewsCancelled, jitTokensRevoked } = ended;
  const identity = await tx.aiIdentity.update({ where: { id: identityId }, data: { status: transition.to } });
  await recomputeRisk(tx, identityId);
  const audit: AuditEntry = {
    action: `identity.${transition.to.toLowerCase()}`,
    targetType: "identity",
    targetId: identityId,
    data: {
      from: before.status,
      to: transition.to,
      reason,
      ...(reviewsCancelled > 0 ? { reviewsCancelled } : {}),
      ...(jitTokensRevoked > 0 ? { jitTokensRevoked } : {}),
    },
  };
  return { identity, audit };
}

function defineTransition(verb: IdentityTransition) {
  return defineMutation({
    name: `identities.${verb}`,
    description: `${verb} AI identities`,
    permission: "inventory:write",
    input: identityIdInput,
    ...(verb === "reactivate" ? { sensitive: identityReactivateChecks } : {}),
    async run({ tx, actor, audit }, input) {
      const result = await applyIdentityTransition(tx, actor, verb, input);
      await audit(result.audit);
      return result.identity;
    },
  });
}

export const activateIdentity = defineTransition("activate");
export const suspendIdentity = defineTransition("suspend");
export const reactivateIdentity = defineTransition("reactivate");
export const retireIdentity = defineTransition("retire");
