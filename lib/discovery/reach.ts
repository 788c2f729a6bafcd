import type { Actor } from "@/lib/auth/actor";
import type { AuditEntry } from "@/lib/audit/record";
import type { DbOrTx, Tx } from "@/lib/db/client";
import type { Environment, Permission, System } from "@/lib/db/generated/client";
import { PERMISSION_ORDER } from "@/lib/discovery/proposal";
import { lockIdentity } from "@/lib/inventory/access";
import { applyChangeReview } from "@/lib/reviews/change";

// What a footprint says the tool can do on its repository, against what
// Warrant granted the identity it belongs to. The repository is a System of
// kind REPOSITORY with the repository's name and environment (the scan
// creates it, lib/discovery/ingest.ts). A footprint that implies more than the
// identity's live grants cover is flagged; when a later scan widens it, the
// identity's owner re-reviews it (a CHANGE review, lib/reviews/change.ts).

export async function findRepositorySystem(db: DbOrTx, repository: { name: string; environment: Environment }): Promise<System | null> {
  return db.system.findUnique({ where: { name_environment: { name: repository.name, environment: repository.environment } } });
}

/** The permissions in `implied` that no live grant of the identity on the system covers, in a fixed order. */
export async function uncoveredPermissions(
  db: DbOrTx,
  identityId: string,
  systemId: string | null,
  implied: Permission[],
): Promise<Permission[]> {
  if (implied.length === 0) return [];
  const granted = systemId
    ? await db.grant.findMany({
        where: {
          identityId,
          systemId,
          revokedAt: null,
          OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }],
        },
        select: { permission: true },
      })
    : [];
  const covered = new Set(granted.map((grant) => grant.permission));
  return PERMISSION_ORDER.filter((permission) => implied.includes(permission) && !covered.has(permission));
}

/**
 * After a scan saw a registered or linked footprint again: records what it
 * implies beyond the identity's grants, and opens (or joins) a change review
 * when that is more than the last scan flagged. Returns the audit entries.
 */
export async function recheckReach(
  tx: Tx,
  actor: Actor,
  finding: { id: string; identityId: string; file: string; detector: string; broaderPermissions: Permission[] },
  implied: Permission[],
  repository: { name: string; environment: Environment },
  system: System | null,
  now: Date,
): Promise<AuditEntry[]> {
  const broader = await uncoveredPermissions(tx, finding.identityId, system?.id ?? null, implied);
  const widened = broader.filter((permission) => !finding.broaderPermissions.includes(permission));
  const unchanged = broader.length === finding.broaderPermissions.length && widened.length === 0;
  if (unchanged) return [];
  await tx.discoveryFinding.update({
    where: { id: finding.id },
    data: { broaderPermissions: broader, flaggedAt: broader.length > 0 ? now : null },
  });
  if (widened.length === 0) return [];

  const identity = await lockIdentity(tx, finding.identityId);
  const reach = `${widened.map((permission) => permission.toLowerCase()).join(", ")} on ${repository.name}`;
  const audits: AuditEntry[] = [
    {
      action: "discovery.reach_flagged",
      targetType: "identity",
      targetId: identity.id,
      data: {
        findingId: finding.id,
        repository: repository.name,
        environment: repository.environment,
        file: finding.file,
        detector: finding.detector,
        beyondGrants: broader,
        newlyBeyondGrants: widened,
      },
    },
  ];
  const change = await applyChangeReview(tx, actor, identity, [{ field: "footprint", from: null, to: `${reach} (${finding.file})` }], {
    now,
  });
  if (change.reviewDueBy) await tx.aiIdentity.update({ where: { id: identity.id }, data: { nextReviewAt: change.reviewDueBy } });
  audits.push(...change.audits);
  return audits;
}
