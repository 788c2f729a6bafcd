import type { Actor } from "@/lib/auth/actor";
import { defineMutation } from "@/lib/auth/mutation";
import type { Tx } from "@/lib/db/client";
import type { Sensitivity } from "@/lib/db/generated/enums";
import { AppError, forbidden, notFound } from "@/lib/errors";
import { confirmSystemSensitivityInput, createSystemInput, updateSystemInput } from "@/lib/validation/inventory";
import { systemReclassifiedChecks } from "@/lib/approvals/checks";
import { isInventoryManager } from "./access";
import { recomputeRisk } from "./recompute-risk";
import { lifecycleSettings } from "@/lib/lifecycle/settings";

// A system's sensitivity sets the risk of every identity that reaches it. Any
// member may register a system their tools reach, but only security leads and
// admins decide how sensitive it is: a member's choice is kept as a proposal
// and the system counts as RESTRICTED (the most cautious reading) until a lead
// confirms it, so nobody lowers their own identities' risk by registering.

/** What a registration by this actor stores: the sensitivity applied, and the proposal awaiting a lead (if any). */
export function registeredSensitivity(
  actor: Actor,
  chosen: Sensitivity,
): { sensitivity: Sensitivity; proposedSensitivity: Sensitivity | null } {
  if (isInventoryManager(actor) || chosen === "RESTRICTED") return { sensitivity: chosen, proposedSensitivity: null };
  return { sensitivity: "RESTRICTED", proposedSensitivity: chosen };
}

/**
 * A system's owner can be an approval level for access to it, so only
 * security leads and admins name owners; the people named must be able to decide.
 */
async function checkSystemOwners(tx: Tx, actor: Actor, input: { ownerId?: string; backupOwnerId?: string }) {
  for (const field of ["ownerId", "backupOwnerId"] as const) {
    const userId = input[field];
    if (!userId) continue;
    if (!isInventoryManager(actor)) {
      throw new AppError("forbidden", "Only security leads and admins name a system's owners: they approve access to it.", {
        [field]: "only security leads and admins may set it",
      });
    }
    const user = await tx.user.findUnique({ where: { id: userId }, select: { active: true, roles: true } });
    if (!user?.active || user.roles.includes("AUDITOR")) {
      throw new AppError("validation_failed", "A system's owner must be an active person who is not an auditor.", {
        [field]: "must be an active person who is not an auditor",
      });
    }
  }
  if (input.ownerId && input.ownerId === input.backupOwnerId) {
    throw new AppError("validation_failed", "The backup owner must be someone other than the owner.", {
      backupOwnerId: "must be someone other than the owner",
    });
  }
}

export const createSystem = defineMutation({
  name: "systems.create",
  description: "register systems",
  permission: "inventory:write",
  input: createSystemInput,
  async run({ tx, actor, audit }, input) {
    const clash = await tx.system.findUnique({ where: { name_environment: { name: input.name, environment: input.environment } } });
    if (clash)
      throw new AppError("conflict", `A system named ${input.name} already exists in ${input.environment}.`, {
        name: `is already used in ${input.environment}`,
      });
    await checkSystemOwners(tx, actor, input);
    const data = { ...input, ...registeredSensitivity(actor, input.sensitivity) };
    const system = await tx.system.create({ data });
    await audit({ action: "system.created", targetType: "system", targetId: system.id, data });
    return system;
  },
});

/** Re-rates every identity with a grant on the system, after a change to its sensitivity or environment. */
async function rerateReaching(tx: Tx, systemId: string) {
  const reaching = await tx.grant.findMany({ where: { systemId }, select: { identityId: true }, distinct: ["identityId"] });
  const settings = reaching.length > 0 ? await lifecycleSettings(tx) : undefined;
  for (const { identityId } of reaching) await recomputeRisk(tx, identityId, undefined, { settings });
  return reaching.length;
}

/** Locks the system's row, so a confirmation and an edit of it apply one after the other. */
async function lockSystem(tx: Tx, systemId: string) {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "System" WHERE "id" = ${systemId} FOR UPDATE`;
  if (locked.length === 0) throw notFound("That system");
  return tx.system.findUniqueOrThrow({ where: { id: systemId } });
}

/**
 * Sensitivity and environment decide every reaching identity's risk, so only
 * security leads and admins change them, and every such identity is re-rated.
 * A lead who sets the sensitivity of a system awaiting confirmation settles it.
 */
export const updateSystem = defineMutation({
  name: "systems.update",
  description: "edit systems",
  permission: "inventory:write",
  input: updateSystemInput,
  sensitive: systemReclassifiedChecks,
  async run({ tx, actor, audit }, { systemId, ...changes }) {
    if (!isInventoryManager(actor)) throw forbidden("edit systems: only security leads and admins may");
    const before = await lockSystem(tx, systemId);
    await checkSystemOwners(tx, actor, {
      ownerId: changes.ownerId,
      backupOwnerId: changes.backupOwnerId ?? (changes.ownerId ? (before.backupOwnerId ?? undefined) : undefined),
    });
    const name = changes.name ?? before.name;
    const environment = changes.environment ?? before.environment;
    const clash = await tx.system.findUnique({ where: { name_environment: { name, environment } } });
    if (clash && clash.id !== systemId)
      throw new AppError("conflict", `A system named ${name} already exists in ${environment}.`, {
        name: `is already used in ${environment}`,
      });
    const settles = changes.sensitivity !== undefined && before.proposedSensitivity !== null;
    const system = await tx.system.update({
      where: { id: systemId },
      data: { ...changes, ...(settles ? { proposedSensitivity: null } : {}) },
    });
    const identitiesRerated = await rerateReaching(tx, systemId);
    await audit({
      action: "system.updated",
      targetType: "system",
      targetId: systemId,
      data: { changes, identitiesRerated, ...(settles ? { proposedSensitivity: before.proposedSensitivity } : {}) },
    });
    return system;
  },
});

/** A security lead or admin decides the sensitivity a registrant proposed (the proposal or another). */
export const confirmSystemSensitivity = defineMutation({
  name: "systems.confirm-sensitivity",
  description: "confirm systems' sensitivity",
  permission: "inventory:write",
  input: confirmSystemSensitivityInput,
  async run({ tx, actor, audit }, { systemId, sensitivity }) {
    if (!isInventoryManager(actor)) throw forbidden("confirm a system's sensitivity: only security leads and admins may");
    const before = await lockSystem(tx, systemId);
    if (before.proposedSensitivity === null)
      throw new AppError("conflict", `${before.name} is not awaiting confirmation; edit it to change its sensitivity.`);
    const system = await tx.system.update({ where: { id: systemId }, data: { sensitivity, proposedSensitivity: null } });
    const identitiesRerated = await rerateReaching(tx, systemId);
    await audit({
      action: "system.sensitivity-confirmed",
      targetType: "system",
      targetId: systemId,
      data: { proposed: before.proposedSensitivity, sensitivity, identitiesRerated },
    });
    return system;
  },
});
