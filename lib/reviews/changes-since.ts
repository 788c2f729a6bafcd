import type { Db } from "@/lib/db/client";
import { CREDENTIAL_TYPE_LABELS, GRANT_MODE_LABELS, PERMISSION_LABELS } from "@/lib/inventory/labels";
import { FIELD_LABELS, fieldValue, text, type TimelineNames } from "@/lib/inventory/timeline";
import { findReview } from "./queries";

// What changed since the owner last vouched for an identity, read from the
// audit log (the record nobody can rewrite): the review form shows it so the
// owner attests to the identity as it is now, not as they remember it.

/** One change, as plain values: when, who, what, and from → to (null: nothing, or not recorded). */
export interface AttestationDiffRow {
  /** ISO 8601, UTC. */
  at: string;
  by: string;
  what: string;
  from: string | null;
  to: string | null;
}

export interface AttestationDiff {
  /** When the last attestation was made (ISO 8601), or null: never attested, so everything since registration. */
  since: string | null;
  rows: AttestationDiffRow[];
  /** More changes happened than the rows hold (the identity's timeline has them all). */
  truncated: boolean;
}

/** At most this many changes are listed; a longer list is read on the timeline. */
export const DIFF_LIMIT = 100;

const STATUS_ACTIONS = ["identity.suspended", "identity.active", "identity.retired", "identity.expired", "identity.revoked"];
const DIFF_ACTIONS = [
  "identity.updated",
  "identity.owner_reassigned",
  "grant.created",
  "grant.revoked",
  "credential.created",
  "credential.rotated",
  "credential.revoked",
  ...STATUS_ACTIONS,
];

type Data = Record<string, unknown>;
const asData = (value: unknown): Data => (value && typeof value === "object" && !Array.isArray(value) ? (value as Data) : {});
const shown = (value: unknown): string | null => (value === null || value === undefined || value === "" ? null : text(value));

function grantText(data: Data): string {
  return `${text(PERMISSION_LABELS[data.permission as keyof typeof PERMISSION_LABELS] ?? data.permission).toLowerCase()} on ${text(data.system)}`;
}

function rowsOf(action: string, data: Data, names: TimelineNames): Omit<AttestationDiffRow, "at" | "by">[] {
  switch (action) {
    case "identity.updated":
    case "identity.owner_reassigned": {
      const changed = asData(data.changed);
      const previous = asData(data.previous);
      return Object.entries(changed).map(([field, to]) => {
        // Events written before "previous" was recorded still know the previous owner.
        const from = field in previous ? previous[field] : field === "ownerId" ? data.previousOwnerId : undefined;
        return {
          what: FIELD_LABELS[field] ?? field,
          from: from === undefined || from === null ? null : fieldValue(field, from, names),
          to: to === null || to === undefined || to === "" ? null : fieldValue(field, to, names),
        };
      });
    }
    case "grant.created": {
      const mode = GRANT_MODE_LABELS[data.mode as keyof typeof GRANT_MODE_LABELS];
      return [{ what: "grant added", from: null, to: `${grantText(data)}${mode ? ` (${mode.toLowerCase()})` : ""}` }];
    }
    case "grant.revoked":
      return [{ what: "grant revoked", from: grantText(data), to: null }];
    case "credential.created":
      return [
        {
          what: "credential added",
          from: null,
          to: `${CREDENTIAL_TYPE_LABELS[data.type as keyof typeof CREDENTIAL_TYPE_LABELS] ?? text(data.type)} “${text(data.label)}”`,
        },
      ];
    case "credential.rotated":
      return [{ what: "credential rotated", from: shown(data.from), to: shown(data.to) }];
    case "credential.revoked":
      return [{ what: "credential revoked", from: shown(data.label), to: null }];
    default:
      return [{ what: "status", from: shown(data.from)?.toLowerCase() ?? null, to: shown(data.to)?.toLowerCase() ?? null }];
  }
}

/**
 * The changes to an identity since its last attestation (or since it was
 * registered), oldest first. With `reviewId` of an attested review, the
 * changes that review saw: those between the attestation before it and its
 * own. The attestation's own consequences (the grants a reduction ended) are
 * part of it, not changes since.
 */
export async function changesSinceLastAttestation(
  db: Db,
  identityId: string,
  { reviewId }: { reviewId?: string } = {},
): Promise<AttestationDiff> {
  const target = { targetType: "identity", targetId: identityId };
  const attestations = await db.auditEvent.findMany({
    where: { ...target, action: "review.attested" },
    orderBy: { seq: "desc" },
    select: { seq: true, occurredAt: true, data: true },
  });
  const own = reviewId ? attestations.findIndex((event) => asData(event.data).reviewId === reviewId) : -1;
  const last = attestations[own + 1];
  const until = own >= 0 ? attestations[own]!.seq : undefined;
  const ownConsequences = (event: { seq: bigint; action: string; data: unknown }) => {
    if (!last || event.action !== "grant.revoked") return false;
    const reduced = asData(last.data).grantIds;
    return Array.isArray(reduced) && reduced.includes(asData(event.data).grantId);
  };

  const events = await db.auditEvent.findMany({
    where: {
      ...target,
      action: { in: DIFF_ACTIONS },
      seq: { ...(last ? { gt: last.seq } : {}), ...(until !== undefined ? { lt: until } : {}) },
    },
    orderBy: { seq: "asc" },
    take: DIFF_LIMIT + 1,
    select: { seq: true, occurredAt: true, actorLabel: true, action: true, data: true },
  });
  const relevant = events.filter((event) => !ownConsequences(event));

  const userIds = new Set<string>();
  const teamIds = new Set<string>();
  for (const event of relevant) {
    const data = asData(event.data);
    for (const values of [asData(data.changed), asData(data.previous)]) {
      for (const field of ["ownerId", "backupOwnerId"]) if (typeof values[field] === "string") userIds.add(values[field]);
      if (typeof values.teamId === "string") teamIds.add(values.teamId);
    }
    if (typeof data.previousOwnerId === "string") userIds.add(data.previousOwnerId);
  }
  const [users, teams] = await Promise.all([
    userIds.size > 0 ? db.user.findMany({ where: { id: { in: [...userIds] } }, select: { id: true, name: true, email: true } }) : [],
    teamIds.size > 0 ? db.team.findMany({ where: { id: { in: [...teamIds] } }, select: { id: true, name: true } }) : [],
  ]);
  const names: TimelineNames = {
    users: new Map(users.map((user) => [user.id, user.name ?? user.email])),
    teams: new Map(teams.map((team) => [team.id, team.name])),
  };

  const rows = relevant
    .slice(0, DIFF_LIMIT)
    .flatMap((event) =>
      rowsOf(event.action, asData(event.data), names).map((row) => ({ at: event.occurredAt.toISOString(), by: event.actorLabel, ...row })),
    );
  return { since: last ? last.occurredAt.toISOString() : null, rows, truncated: events.length > DIFF_LIMIT };
}

/** One review for the API, with what changed since the attestation before it. */
export async function findReviewWithChanges(db: Db, reviewId: string) {
  const review = await findReview(db, reviewId);
  return { ...review, changesSinceLastAttestation: await changesSinceLastAttestation(db, review.identityId, { reviewId: review.id }) };
}
