import type { Db } from "@/lib/db/client";
import { LIVE_STATUSES } from "./lifecycle";

/**
 * Every system with how many identities can reach it right now: a grant that
 * is neither revoked nor expired, held by an identity still in use. An
 * identity with read and write on one system counts once.
 */
export async function listSystemsWithReach(db: Db, now = new Date()) {
  const [systems, pairs] = await Promise.all([
    db.system.findMany(),
    db.grant.groupBy({
      by: ["systemId", "identityId"],
      where: {
        revokedAt: null,
        OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
        identity: { status: { in: LIVE_STATUSES } },
      },
    }),
  ]);
  const reach = new Map<string, number>();
  for (const { systemId } of pairs) reach.set(systemId, (reach.get(systemId) ?? 0) + 1);
  // By name as people read it ("aws-staging" beside "Amazon"), not by the database's byte order.
  const byName = new Intl.Collator("en", { sensitivity: "base", numeric: true });
  return systems
    .map((system) => ({ ...system, identitiesWithLiveGrants: reach.get(system.id) ?? 0 }))
    .sort((a, b) => byName.compare(a.name, b.name) || a.environment.localeCompare(b.environment));
}

/** Systems whose registrant's proposed sensitivity awaits a security lead (they count as restricted meanwhile), oldest first. */
export async function listSystemsAwaitingConfirmation(db: Db, limit = 50) {
  return db.system.findMany({ where: { proposedSensitivity: { not: null } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: limit });
}
