import { defineMutation } from "@/lib/auth/mutation";
import { AppError, notFound } from "@/lib/errors";
import { createGrantInput, grantIdInput } from "@/lib/validation/inventory";
import { assertMayManageIdentity, lockIdentity } from "./access";
import { LIVE_STATUSES } from "./query";
import { recomputeRisk } from "./recompute-risk";


/**
 * Gives an identity one permission on one system. Read, write, deploy and
 * admin are separate grants; none implies another.
 */
export const createGrant = defineMutation({
  name: "grants.create",
  description: "grant access to identities",
  permission: "inventory:write",
  input: createGrantInput,
  async run({ tx, actor, audit }, input) {
    const identity = await lockIdentity(tx, input.identityId);
    assertMayManageIdentity(actor, identity, "change this identity's access");
    if (!LIVE_STATUSES.includes(identity.status)) {
      throw new AppError("conflict", `${identity.name} is ${identity.status.toLowerCase()}; it cannot be given access.`);
    }
    const system = await tx.system.findUnique({ where: { id: input.systemId } });
    if (!system) throw new AppError("validation_failed", "That system does not exist.", { systemId: "must be an existing system" });
    const existing = await tx.grant.findFirst({
      where: { identityId: input.identityId, systemId: input.systemId, permission: input.permission, revokedAt: null },
    });
    if (existing) {
      throw new AppError("conflict", `${identity.name} already has ${input.permission.toLowerCase()} on ${system.name}.`, { permission: "is already granted" });
    }
    const grant = await tx.grant.create({ data: input });
    const risk = await recomputeRisk(tx, identity.id);
    await audit({
      action: "grant.created",
      targetType: "identity",
      targetId: identity.id,
      data: { grantId: grant.id, system: system.name, systemId: system.id, permission: grant.permission, mode: grant.mode, expiresAt: grant.expiresAt, riskTier: risk.tier },
    });
    return grant;
  },
});

export const revokeGrant = defineMutation({
  name: "grants.revoke",
  description: "revoke identities' access",
  permission: "inventory:write",
  input: grantIdInput,
  async run({ tx, actor, audit }, { grantId }) {
    const found = await tx.grant.findUnique({ where: { id: grantId }, include: { system: true } });
    if (!found) throw notFound("That grant");
    const identity = await lockIdentity(tx, found.identityId);
    assertMayManageIdentity(actor, identity, "change this identity's access");
    if (found.revokedAt) throw new AppError("conflict", "That grant is already revoked.");
    const grant = await tx.grant.update({ where: { id: grantId }, data: { revokedAt: new Date() } });
    const risk = await recomputeRisk(tx, identity.id);
    await audit({
      action: "grant.revoked",
      targetType: "identity",
      targetId: identity.id,
      data: { grantId, system: found.system.name, permission: found.permission, riskTier: risk.tier },
    });
    return grant;
  },
});
