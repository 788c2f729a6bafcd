import type { Actor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/actor";
import type { Db } from "@/lib/db/client";
import type { AiIdentity } from "@/lib/db/generated/client";
import type { IdentityStatus } from "@/lib/db/generated/enums";
import { isInventoryManager, mayManageIdentity } from "./access";
import { isReviewOverdue, LIVE_STATUSES } from "./lifecycle";
import { summarizeEvent, referencedIds, type TimelineNames } from "./timeline";
import { TRANSITIONS, type IdentityTransition } from "./identities";
import { DAY_MS } from "@/lib/time";

// Everything the identity page shows about one identity, loaded in a handful
// of queries and shaped for display: who owns it, why it is rated as it is,
// what it can reach, what it authenticates with and what happened to it.

/** The newest events shown on the page; the audit log has the rest. */
export const TIMELINE_LIMIT = 200;

const person = { select: { id: true, name: true, email: true, active: true } } as const;

function personLabel(user: { name: string | null; email: string }): string {
  return user.name ? `${user.name} <${user.email}>` : user.email;
}

/** riskReasons is JSON in the database; only a list of strings is meaningful. */
export function parseRiskReasons(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((reason): reason is string => typeof reason === "string") : [];
}

export async function loadIdentityDetail(db: Db, identityId: string, now = new Date()) {
  const identity = await db.aiIdentity.findUnique({
    where: { id: identityId },
    include: {
      owner: person,
      backupOwner: person,
      team: { select: { id: true, name: true } },
      apiToken: { select: { id: true, name: true } },
      grants: { include: { system: true }, orderBy: [{ createdAt: "desc" }, { id: "asc" }] },
      credentials: { orderBy: [{ createdAt: "desc" }, { id: "asc" }] },
    },
  });
  if (!identity) return null;

  // An API token's identity is created by the token's own mutation, which audits the token.
  const targets = [{ targetType: "identity", targetId: identity.id }];
  if (identity.apiToken) targets.push({ targetType: "api_token", targetId: identity.apiToken.id });
  const events = await db.auditEvent.findMany({
    where: { OR: targets },
    orderBy: { seq: "desc" },
    take: TIMELINE_LIMIT + 1,
  });
  const shown = events.slice(0, TIMELINE_LIMIT);

  const { grants, credentials, riskReasons, ...rest } = identity;
  return {
    ...rest,
    riskReasons: parseRiskReasons(riskReasons),
    reviewOverdue: isReviewOverdue(identity, now),
    expired: identity.expiresAt.getTime() <= now.getTime(),
    grants: grants.map((grant) => ({
      ...grant,
      live: !grant.revokedAt && (!grant.expiresAt || grant.expiresAt.getTime() > now.getTime()),
    })),
    credentials: credentials.map((credential) => ({
      ...credential,
      ageDays: Math.max(0, Math.floor((now.getTime() - credential.issuedAt.getTime()) / DAY_MS)),
    })),
    timeline: await summarizeTimeline(db, shown),
    timelineTruncated: events.length > TIMELINE_LIMIT,
  };
}

export type IdentityDetail = NonNullable<Awaited<ReturnType<typeof loadIdentityDetail>>>;

async function summarizeTimeline(
  db: Db,
  events: { seq: bigint; occurredAt: Date; actorLabel: string; actorType: string; action: string; data: unknown }[],
) {
  const userIds = new Set<string>();
  const teamIds = new Set<string>();
  for (const event of events) {
    const ids = referencedIds(event.data);
    ids.userIds.forEach((id) => userIds.add(id));
    ids.teamIds.forEach((id) => teamIds.add(id));
  }
  const [users, teams] = await Promise.all([
    userIds.size > 0 ? db.user.findMany({ where: { id: { in: [...userIds] } }, select: { id: true, name: true, email: true } }) : [],
    teamIds.size > 0 ? db.team.findMany({ where: { id: { in: [...teamIds] } }, select: { id: true, name: true } }) : [],
  ]);
  const names: TimelineNames = {
    users: new Map(users.map((user) => [user.id, personLabel(user)])),
    teams: new Map(teams.map((team) => [team.id, team.name])),
  };
  return events.map((event) => ({
    seq: event.seq.toString(),
    occurredAt: event.occurredAt,
    actorLabel: event.actorLabel,
    actorType: event.actorType.toLowerCase(),
    action: event.action,
    summary: summarizeEvent(event.action, event.data, names),
  }));
}

export type StatusChange = IdentityTransition;

/**
 * What the viewer may do on this identity's page. The mutations check all of
 * this again on the server; this only decides which forms to show, so that
 * auditors and bystanders see none.
 */
export function identityPermissions(
  actor: Actor,
  identity: { ownerId: string; backupOwnerId: string | null; status: IdentityStatus; expiresAt: Date },
  now = new Date(),
) {
  const manager = isInventoryManager(actor);
  const manage = can(actor, "inventory:write") && mayManageIdentity(actor, identity);
  const live = LIVE_STATUSES.includes(identity.status);
  // The same rules the mutations apply, so the page never offers a button that can only fail.
  const statusChanges = (Object.keys(TRANSITIONS) as StatusChange[]).filter((change) => {
    const transition = TRANSITIONS[change];
    if (!manage || !transition.from.includes(identity.status) || (transition.managersOnly && !manager)) return false;
    return change !== "reactivate" || identity.expiresAt.getTime() > now.getTime();
  });
  return {
    edit: manage,
    /** Grants can only be added to identities still in use. */
    addGrant: manage && live,
    manageGrants: manage,
    addCredential: manage && live,
    manageCredentials: manage,
    /** Reviews concern identities in service; attesting is for the owners (lib/reviews). */
    openReview: manage && live,
    statusChanges,
  };
}

export type IdentityPermissions = ReturnType<typeof identityPermissions>;

/**
 * People who can own identities: active users who are not auditors, by name.
 * `keep` adds people already named on an identity (say a deactivated owner),
 * so an edit form shows them instead of silently picking someone else.
 */
export async function listOwnerCandidates(db: Db, keep: (string | null)[] = []) {
  const kept = keep.filter((id): id is string => Boolean(id));
  const users = await db.user.findMany({
    where: { OR: [{ active: true, NOT: { roles: { has: "AUDITOR" } } }, { id: { in: kept } }] },
    orderBy: [{ name: "asc" }, { email: "asc" }],
    select: { id: true, name: true, email: true, active: true },
  });
  return users.map((user) => ({ id: user.id, label: `${personLabel(user)}${user.active ? "" : " (deactivated)"}` }));
}

export async function listTeams(db: Db) {
  return db.team.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } });
}

/** Systems to grant access on, with what the risk rule looks at. */
export async function listSystemOptions(db: Db) {
  const systems = await db.system.findMany({ select: { id: true, name: true, environment: true, sensitivity: true } });
  const byName = new Intl.Collator("en", { sensitivity: "base", numeric: true });
  systems.sort((a, b) => byName.compare(a.name, b.name) || a.environment.localeCompare(b.environment));
  return systems.map((system) => ({
    id: system.id,
    label: `${system.name} (${system.environment.toLowerCase()}, ${system.sensitivity.toLowerCase()})`,
  }));
}

/** An identity's editable fields as the strings a form holds (dates as ISO instants). */
export interface IdentityFormValues {
  name: string;
  kind: string;
  vendor: string;
  product: string;
  model: string;
  purpose: string;
  environment: string;
  autonomy: string;
  ownerId: string;
  backupOwnerId: string;
  teamId: string;
  expiresAt: string;
  reviewCadenceDays: string;
  externalId: string;
}

export function identityFormValues(identity: AiIdentity): IdentityFormValues {
  return {
    name: identity.name,
    kind: identity.kind,
    vendor: identity.vendor ?? "",
    product: identity.product ?? "",
    model: identity.model ?? "",
    purpose: identity.purpose,
    environment: identity.environment,
    autonomy: identity.autonomy,
    ownerId: identity.ownerId,
    backupOwnerId: identity.backupOwnerId ?? "",
    teamId: identity.teamId ?? "",
    expiresAt: identity.expiresAt.toISOString(),
    reviewCadenceDays: String(identity.reviewCadenceDays),
    externalId: identity.externalId ?? "",
  };
}

export async function findIdentity(db: Db, identityId: string) {
  return db.aiIdentity.findUnique({ where: { id: identityId } });
}

/** The signed-in person's team, the default for what they register. */
export async function findUserTeamId(db: Db, userId: string): Promise<string | undefined> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { teamId: true } });
  return user?.teamId ?? undefined;
}
