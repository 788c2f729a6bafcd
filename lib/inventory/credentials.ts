import { defineMutation } from "@/lib/auth/mutation";
import { credentialCreateChecks, credentialRotateChecks } from "@/lib/approvals/checks";
import type { Db, Tx } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { createCredentialInput, credentialIdInput, rotateCredentialInput } from "@/lib/validation/inventory";
import { assertMayManageIdentity, lockIdentity } from "./access";
import { recomputeRisk } from "./recompute-risk";
import { revokeAccessGrantsOf } from "@/lib/access/revoke";

// Credentials are metadata and a fingerprint. The secret stays in its vault;
// lib/auth/mutation.ts refuses any input that looks like one.

export const createCredential = defineMutation({
  name: "credentials.create",
  description: "record credentials",
  permission: "inventory:write",
  input: createCredentialInput,
  sensitive: credentialCreateChecks,
  async run({ tx, actor, audit }, input) {
    const identity = await lockIdentity(tx, input.identityId);
    assertMayManageIdentity(actor, identity, "record credentials for this identity");
    const credential = await tx.credential.create({ data: { ...input, lastRotatedAt: input.lastRotatedAt ?? input.issuedAt } });
    const risk = await recomputeRisk(tx, identity.id);
    await audit({
      action: "credential.created",
      targetType: "identity",
      targetId: identity.id,
      data: {
        credentialId: credential.id,
        type: credential.type,
        label: credential.label,
        fingerprint: credential.fingerprint,
        riskTier: risk.tier,
      },
    });
    return credential;
  },
});

/**
 * Locks the credential's identity, then reads the credential: a read taken
 * before the lock could be stale by the time the change is written, and two
 * concurrent revokes would both see it active and both be audited.
 */
async function lockCredential(tx: Tx, credentialId: string) {
  const owner = await tx.credential.findUnique({ where: { id: credentialId }, select: { identityId: true } });
  if (!owner) throw notFound("That credential");
  const identity = await lockIdentity(tx, owner.identityId);
  const found = await tx.credential.findUniqueOrThrow({ where: { id: credentialId } });
  return { found, identity };
}

/** Records that the secret was replaced: a new fingerprint and rotation date. */
export const rotateCredential = defineMutation({
  name: "credentials.rotate",
  description: "rotate credentials",
  permission: "inventory:write",
  input: rotateCredentialInput,
  sensitive: credentialRotateChecks,
  async run({ tx, actor, audit }, input) {
    const { found, identity } = await lockCredential(tx, input.credentialId);
    assertMayManageIdentity(actor, identity, "rotate this identity's credentials");
    if (found.status !== "ACTIVE") throw new AppError("conflict", "A revoked credential cannot be rotated; record a new one.");
    if (input.fingerprint === found.fingerprint) {
      throw new AppError("validation_failed", "A rotated credential has a new fingerprint.", {
        fingerprint: "must differ from the current fingerprint",
      });
    }
    const rotatedAt = input.rotatedAt ?? new Date();
    const credential = await tx.credential.update({
      where: { id: found.id },
      data: {
        fingerprint: input.fingerprint,
        lastRotatedAt: rotatedAt,
        issuedAt: rotatedAt,
        expiresAt: input.expiresAt ?? null,
        // A new secret answers a change's request for one (lib/reviews/change.ts).
        rotationRequiredAt: null,
        rotationRequiredReason: null,
      },
    });
    const risk = await recomputeRisk(tx, identity.id);
    await audit({
      action: "credential.rotated",
      targetType: "identity",
      targetId: identity.id,
      data: {
        credentialId: found.id,
        from: found.fingerprint,
        to: input.fingerprint,
        ...(found.rotationRequiredAt ? { rotationRequested: found.rotationRequiredReason } : {}),
        riskTier: risk.tier,
      },
    });
    return credential;
  },
});

export const revokeCredential = defineMutation({
  name: "credentials.revoke",
  description: "revoke credentials",
  permission: "inventory:write",
  input: credentialIdInput,
  async run({ tx, actor, audit }, { credentialId }) {
    const { found, identity } = await lockCredential(tx, credentialId);
    assertMayManageIdentity(actor, identity, "revoke this identity's credentials");
    if (found.status === "REVOKED") throw new AppError("conflict", "That credential is already revoked.");
    const now = new Date();
    // A revoked credential is no longer asked to rotate: nothing is left to replace.
    const credential = await tx.credential.update({
      where: { id: credentialId },
      data: { status: "REVOKED", revokedAt: now, rotationRequiredAt: null, rotationRequiredReason: null },
    });
    // An agent token's just-in-time tokens go with it: a leaked token must not live on through what it obtained.
    const jitTokensRevoked = await revokeAccessGrantsOf(
      tx,
      { identityId: identity.id, requestedWith: credentialId },
      "agent token revoked",
      now,
    );
    const risk = await recomputeRisk(tx, identity.id);
    await audit({
      action: "credential.revoked",
      targetType: "identity",
      targetId: identity.id,
      data: { credentialId, label: found.label, ...(jitTokensRevoked > 0 ? { jitTokensRevoked } : {}), riskTier: risk.tier },
    });
    return credential;
  },
});

/** One credential with the identity it belongs to; every reader of the inventory may see it. */
export async function findCredential(db: Db, credentialId: string) {
  const credential = await db.credential.findUnique({
    where: { id: credentialId },
    include: { identity: { select: { id: true, name: true, environment: true, status: true } } },
  });
  if (!credential) throw notFound("That credential");
  return credential;
}
