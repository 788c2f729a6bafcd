import "server-only";
import { cache } from "react";
import { forbidden, redirect } from "next/navigation";
import { auth } from "./auth";
import type { Actor } from "./actor";
import { can } from "./actor";
import type { Permission } from "./permissions";

/** The signed-in person as an Actor, or null. Cached per request. */
export const getSessionActor = cache(async (): Promise<Extract<Actor, { kind: "user" }> | null> => {
  const session = await auth();
  const user = session?.user;
  if (!user?.id || !user.active) return null;
  return { kind: "user", userId: user.id, label: user.email, roles: user.roles };
});

/** For pages: the signed-in actor, or a redirect to the sign-in page. */
export async function requireActor(): Promise<Extract<Actor, { kind: "user" }>> {
  const actor = await getSessionActor();
  if (!actor) redirect("/sign-in");
  return actor;
}

/**
 * For pages: like requireActor, and answers people without the permission
 * with a 403 and app/(app)/forbidden.tsx (an uncaught error would be a 500).
 */
export async function requirePermission(permission: Permission) {
  const actor = await requireActor();
  if (!can(actor, permission)) forbidden();
  return actor;
}
