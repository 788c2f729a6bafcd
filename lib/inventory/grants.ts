import type { Actor } from "@/lib/auth/actor";
import { defineMutation } from "@/lib/auth/mutation";
import { grantChecks } from "@/lib/approvals/checks";
import type { AuditEntry } from "@/lib/audit/record";
import type { Db, Tx } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { applyChangeReview, CHANGE_TRIGGER_PERMISSIONS } from "@/lib/reviews/change";
import type { z } from "zod";
import type { Grant } from "@/lib/db/generated/client";
import { newId } from "@/lib/db/ids";
import { createGrantInput, grantIdInput } from "@/lib/validation/inventory";
import { assertMayManageIdentity, lockIdentity } from "./access";
import { LIVE_STATUSES } from "./lifecycle";
import { recomputeRisk } from "./recompute-risk";

type GrantRow = Omit<Grant, "expiresAt" | "revokedAt" | "createdAt"> & {
  expiresAt: string | null;
  revokedAt: string | null;
  createdAt: string;
};

/**
 * Inserts the grant unless the system is missing or the identity already has
 * that permission on it (live, not revoked), and says which, in one statement:
 * an approved grant is applied inside the decision's transaction, which pays
 * for every round trip. The caller holds the identity's lock, so no other
 * grant of it can slip in between the check and the insert.
 */
async function insertGrantUnlessLive(tx: Tx, input: z.output<typeof createGrantInput>) {
  const [row] = await tx.$queryRaw<
    { system: { id: string; name: string; environment: string } | null; alreadyGranted: boolean; grant: GrantRow | null }[]
  >`
    WITH "target" AS (
      SELECT "id", "name", "environment"::text AS "environment" FROM "System" WHERE "id" = ${input.systemId}
    ), "live" AS (
      SELECT 1 FROM "Grant"
      WHERE "identityId" = ${input.identityId} AND "systemId" = ${input.systemId}
        AND "permission" = ${input.permission}::"Permission" AND "revokedAt" IS NULL
      LIMIT 1
    ), "created" AS (
      INSERT INTO "Grant" ("id", "identityId", "systemId", "permission", "mode", "expiresAt")
      SELECT ${newId()}, ${input.identityId}, ${input.systemId}, ${input.permission}::"Permission", ${input.mode}::"GrantMode", ${input.expiresAt ?? null}::timestamptz
      WHERE EXISTS (SELECT 1 FROM "target") AND NOT EXISTS (SELECT 1 FROM "live")
      RETURNING "id", "identityId", "systemId", "permission"::text AS "permission", "mode"::text AS "mode",
                "expiresAt", "revokedAt", "createdAt", "accessGrantId"
    )
    SELECT (SELECT row_to_json("target") FROM "target") AS "system",
           EXISTS (SELECT 1 FROM "live") AS "alreadyGranted",
           (SELECT row_to_json("created") FROM "created") AS "grant"`;
  const created = row!.grant;
  const grant: Grant | null = created && {
    ...created,
    expiresAt: created.expiresAt === null ? null : new Date(created.expiresAt),
    revokedAt: created.revokedAt === null ? null : new Date(created.revokedAt),
    createdAt: new Date(created.createdAt),
  };
  return { system: row!.system, alreadyGranted: row!.alreadyGranted, grant };
}

/**
 * Gives an identity one permission on one system. Read, write, deploy and
 * admin are separate grants; none implies another.
 */
export const createGrant = defineMutation({
  name: "grants.create",
  description: "grant access to identities",
  permission: "inventory:write",
  input: createGrantInput,
  sensitive: grantChecks,
  async run({ tx, actor, audit }, input) {
    const identity = await lockIdentity(tx, input.identityId);
    assertMayManageIdentity(actor, identity, "change this identity's access");
    if (!LIVE_STATUSES.includes(identity.status)) {
      throw new AppError("conflict", `${identity.name} is ${identity.status.toLowerCase()}; it cannot be given access.`);
    }
    const { system, alreadyGranted, grant } = await insertGrantUnlessLive(tx, input);
    if (!system) throw new AppError("validation_failed", "That system does not exist.", { systemId: "must be an existing system" });
    if (alreadyGranted || !grant) {
      throw new AppError("conflict", `${identity.name} already has ${input.permission.toLowerCase()} on ${system.name}.`, {
        permission: "is already granted",
      });
    }
    // New access that can change things asks for a re-review and new secrets (lib/reviews/change.ts).
    const change = CHANGE_TRIGGER_PERMISSIONS.includes(grant.permission)
      ? await applyChangeReview(tx, actor, identity, [
          { field: "grant", from: null, to: `${grant.permission.toLowerCase()} on ${system.name} (${system.environment.toLowerCase()})` },
        ])
      : null;
    const risk = await recomputeRisk(tx, identity.id, undefined, { reviewDueBy: change?.reviewDueBy, settings: change?.settings });
    await audit({
      action: "grant.created",
      targetType: "identity",
      targetId: identity.id,
      data: {
        grantId: grant.id,
        system: system.name,
        systemId: system.id,
        permission: grant.permission,
        mode: grant.mode,
        expiresAt: grant.expiresAt,
        riskTier: risk.tier,
      },
    });
    for (const entry of change?.audits ?? []) await audit(entry);
    return grant;
  },
});

/**
 * Ends one grant inside the caller's transaction (after locking its identity)
 * and returns the audit entry to record. The revoke button and a review that
 * reduces access both go through here.
 */
export async function applyGrantRevoke(tx: Tx, actor: Actor, grantId: string, expectedIdentityId?: string) {
  const owner = await tx.grant.findUnique({ where: { id: grantId }, select: { identityId: true } });
  // Inside a review the grant ids are a field of the attestation, so the error names it.
  if (expectedIdentityId && owner?.identityId !== expectedIdentityId) {
    throw new AppError("validation_failed", "That grant is not one of this identity's grants.", {
      grantIds: `${grantId} is not a grant of this identity`,
    });
  }
  if (!owner) throw notFound("That grant");
  // Lock, then read: a grant read before the lock may have been revoked by
  // the time this change is written, and would be revoked (and audited) twice.
  const identity = await lockIdentity(tx, owner.identityId);
  const found = await tx.grant.findUniqueOrThrow({ where: { id: grantId }, include: { system: true } });
  assertMayManageIdentity(actor, identity, "change this identity's access");
  if (found.revokedAt)
    throw new AppError(
      "conflict",
      "That grant is already revoked.",
      expectedIdentityId ? { grantIds: "includes a grant that is already revoked" } : undefined,
    );
  const grant = await tx.grant.update({ where: { id: grantId }, data: { revokedAt: new Date() } });
  const risk = await recomputeRisk(tx, identity.id);
  const audit: AuditEntry = {
    action: "grant.revoked",
    targetType: "identity",
    targetId: identity.id,
    data: { grantId, system: found.system.name, permission: found.permission, riskTier: risk.tier },
  };
  return { grant, audit };
}

export const revokeGrant = defineMutation({
  name: "grants.revoke",
  description: "revoke identities' access",
  permission: "inventory:write",
  input: grantIdInput,
  async run({ tx, actor, audit }, { grantId }) {
    const result = await applyGrantRevoke(tx, actor, grantId);
    await audit(result.audit);
    return result.grant;
  },
});

/** One grant with its system and identity; every reader of the inventory may see it. */
export async function findGrant(db: Db, grantId: string) {
  const grant = await db.grant.findUnique({
    where: { id: grantId },
    include: { system: true, identity: { select: { id: true, name: true, environment: true, status: true } } },
  });
  if (!grant) throw notFound("That grant");
  return grant;
}
