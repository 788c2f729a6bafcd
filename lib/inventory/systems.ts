import { defineMutation } from "@/lib/auth/mutation";
import { AppError, forbidden, notFound } from "@/lib/errors";
import { createSystemInput, updateSystemInput } from "@/lib/validation/inventory";
import { isInventoryManager } from "./access";
import { recomputeRisk } from "./recompute-risk";

/** Any member may register a system their tools reach; its sensitivity can be corrected by security leads. */
export const createSystem = defineMutation({
  name: "systems.create",
  description: "register systems",
  permission: "inventory:write",
  input: createSystemInput,
  async run({ tx, audit }, input) {
    const clash = await tx.system.findUnique({ where: { name_environment: { name: input.name, environment: input.environment } } });
    if (clash) throw new AppError("conflict", `A system named ${input.name} already exists in ${input.environment}.`, { name: `is already used in ${input.environment}` });
    const system = await tx.system.create({ data: input });
    await audit({ action: "system.created", targetType: "system", targetId: system.id, data: input });
    return system;
  },
});

/**
 * Sensitivity and environment decide every reaching identity's risk, so only
 * security leads and admins change them, and every such identity is re-rated.
 */
export const updateSystem = defineMutation({
  name: "systems.update",
  description: "edit systems",
  permission: "inventory:write",
  input: updateSystemInput,
  async run({ tx, actor, audit }, { systemId, ...changes }) {
    if (!isInventoryManager(actor)) throw forbidden("edit systems: only security leads and admins may");
    const before = await tx.system.findUnique({ where: { id: systemId } });
    if (!before) throw notFound("That system");
    const name = changes.name ?? before.name;
    const environment = changes.environment ?? before.environment;
    const clash = await tx.system.findUnique({ where: { name_environment: { name, environment } } });
    if (clash && clash.id !== systemId) throw new AppError("conflict", `A system named ${name} already exists in ${environment}.`, { name: `is already used in ${environment}` });
    const system = await tx.system.update({ where: { id: systemId }, data: changes });
    const reaching = await tx.grant.findMany({ where: { systemId }, select: { identityId: true }, distinct: ["identityId"] });
    for (const { identityId } of reaching) await recomputeRisk(tx, identityId);
    await audit({ action: "system.updated", targetType: "system", targetId: systemId, data: { changes, identitiesRerated: reaching.length } });
    return system;
  },
});
