import type { Actor } from "@/lib/auth/actor";
import type { DbOrTx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { forbidden, notFound } from "@/lib/errors";
import { actorUserId, isInventoryManager } from "@/lib/inventory/access";

// Who sees which findings. Security leads, admins and auditors see every
// repository's; everyone else sees the repositories of their own team (a
// repository's team is named by its scans, or is the submitter's). Registering
// and linking follow what one may see; dismissing is for security leads and
// admins only, because a dismissal is what makes the discovery control pass.

/** Roles that see every repository's findings. */
function seesAll(actor: Actor): boolean {
  return isInventoryManager(actor) || (actor.kind !== "system" && actor.roles.includes("AUDITOR"));
}

/** The user's team, if any. */
export async function teamOf(db: DbOrTx, actor: Actor): Promise<string | null> {
  const userId = actorUserId(actor);
  if (!userId) return null;
  const user = await db.user.findUnique({ where: { id: userId }, select: { teamId: true } });
  return user?.teamId ?? null;
}

/** A `where` on DiscoveryFinding that matches only what the actor may see. */
export async function visibleFindingsWhere(db: DbOrTx, actor: Actor): Promise<Prisma.DiscoveryFindingWhereInput> {
  if (seesAll(actor)) return {};
  const teamId = await teamOf(db, actor);
  // No team, no repositories: a where that cannot match.
  return teamId ? { repository: { teamId } } : { id: { in: [] } };
}

/** The finding, if the actor may see it; otherwise the same "not found" as a finding that does not exist. */
export async function findVisibleFinding(db: DbOrTx, actor: Actor, findingId: string) {
  const where = await visibleFindingsWhere(db, actor);
  const finding = await db.discoveryFinding.findFirst({ where: { AND: [{ id: findingId }, where] }, include: { repository: true } });
  if (!finding) throw notFound("That finding");
  return finding;
}

export function mayDismissFindings(actor: Actor): boolean {
  return isInventoryManager(actor);
}

export function assertMayDismissFindings(actor: Actor) {
  if (!mayDismissFindings(actor)) {
    throw forbidden("dismiss discovered findings: only security leads and admins may, since a dismissal closes the finding for the audit");
  }
}

/** A repository's team decides who sees its findings: only security leads and admins move one to another team (by a scan too). */
export function mayMoveRepositories(actor: Actor): boolean {
  return isInventoryManager(actor);
}

export function assertMayMoveRepositories(actor: Actor) {
  if (!mayMoveRepositories(actor)) {
    throw forbidden(
      "move repositories to another team: only security leads and admins may, since a repository's team decides who sees its findings",
    );
  }
}
