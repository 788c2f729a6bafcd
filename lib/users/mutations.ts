import { defineMutation } from "@/lib/auth/mutation";
import { userCreateChecks, userRolesChecks } from "@/lib/approvals/checks";
import { AppError, notFound } from "@/lib/errors";
import { createUserInput, setUserRolesInput, userIdInput } from "@/lib/validation/users";
import type { Tx } from "@/lib/db/client";
import { retireTokenIdentity } from "@/lib/auth/api-tokens";
import { LIVE_STATUSES } from "@/lib/inventory/lifecycle";
import { findUserByEmail, normalizeEmail } from "./email";

async function findUserOrThrow(tx: Tx, userId: string) {
  const user = await tx.user.findUnique({ where: { id: userId } });
  if (!user) throw notFound("That user");
  return user;
}

/** Pre-registers a person (before their first SSO sign-in) so roles can be set up front. */
export const createUser = defineMutation({
  name: "users.create",
  description: "create users",
  permission: "users:manage",
  input: createUserInput,
  sensitive: userCreateChecks,
  async run({ tx, audit }, input) {
    const email = normalizeEmail(input.email);
    const existing = await findUserByEmail(tx, email);
    if (existing) throw new AppError("conflict", `A user with the email ${existing.email} already exists.`, { email: "is already in use" });
    const user = await tx.user.create({ data: { ...input, email } });
    await audit({ action: "user.created", targetType: "user", targetId: user.id, data: { ...input, email } });
    return user;
  },
});

export const setUserRoles = defineMutation({
  name: "users.set-roles",
  description: "change users' roles",
  permission: "users:manage",
  input: setUserRolesInput,
  sensitive: userRolesChecks,
  async run({ tx, actor, audit }, input) {
    const before = await findUserOrThrow(tx, input.userId);
    // Keeps at least one way in: an admin cannot remove their own admin role.
    if (actor.kind !== "system" && actor.userId === input.userId && before.roles.includes("ADMIN") && !input.roles.includes("ADMIN")) {
      throw new AppError("validation_failed", "You cannot remove your own admin role; ask another admin.", {
        roles: "must keep ADMIN for yourself",
      });
    }
    const user = await tx.user.update({ where: { id: input.userId }, data: { roles: input.roles } });
    await audit({ action: "user.roles_changed", targetType: "user", targetId: user.id, data: { from: before.roles, to: input.roles } });
    return user;
  },
});

/**
 * Deactivated people cannot sign in and their sessions and API tokens stop
 * working; the identities they own are flagged orphaned until reassigned.
 */
export const deactivateUser = defineMutation({
  name: "users.deactivate",
  description: "deactivate users",
  permission: "users:manage",
  input: userIdInput,
  async run({ tx, actor, audit }, input) {
    const before = await findUserOrThrow(tx, input.userId);
    if (actor.kind !== "system" && actor.userId === input.userId) {
      throw new AppError("validation_failed", "You cannot deactivate yourself.", { userId: "is you" });
    }
    if (!before.active) throw new AppError("conflict", `${before.email} is already deactivated.`);
    const user = await tx.user.update({ where: { id: input.userId }, data: { active: false } });
    await tx.session.deleteMany({ where: { userId: input.userId } });
    const now = new Date();
    const tokens = await tx.apiToken.findMany({ where: { userId: input.userId, revokedAt: null } });
    await tx.apiToken.updateMany({ where: { userId: input.userId, revokedAt: null }, data: { revokedAt: now } });
    for (const token of tokens) if (token.identityId) await retireTokenIdentity(tx, token.identityId, now);
    const orphaned = await tx.aiIdentity.updateMany({
      where: { ownerId: input.userId, orphanedAt: null, status: { in: LIVE_STATUSES } },
      data: { orphanedAt: now },
    });
    await audit({
      action: "user.deactivated",
      targetType: "user",
      targetId: user.id,
      data: { email: user.email, identitiesOrphaned: orphaned.count },
    });
    return user;
  },
});

export const reactivateUser = defineMutation({
  name: "users.reactivate",
  description: "reactivate users",
  permission: "users:manage",
  input: userIdInput,
  async run({ tx, audit }, input) {
    const before = await findUserOrThrow(tx, input.userId);
    if (before.active) throw new AppError("conflict", `${before.email} is already active.`);
    const user = await tx.user.update({ where: { id: input.userId }, data: { active: true } });
    // Identities stay orphaned until someone reassigns or confirms them.
    await audit({ action: "user.reactivated", targetType: "user", targetId: user.id, data: { email: user.email } });
    return user;
  },
});
