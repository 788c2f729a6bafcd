import type { Autonomy, Role } from "@/lib/db/generated/enums";
import { DAY_MS } from "@/lib/time";
import { days, PRIVILEGED_PERMISSIONS, type SensitiveCheckContext, type SensitiveMatch } from "./catalog";

// The sensitive checks of the mutations that have sensitive inputs, one per
// kind of change. Each reads what it needs inside the change's transaction and
// says which catalog entries match; lib/auth/mutation.ts decides what follows.
// A record a check cannot find matches nothing: the change itself then fails
// with its own "not found" message.

const AUTONOMY_RANK: Record<Autonomy, number> = { SUGGEST: 0, DRAFT: 1, EXECUTE: 2, AUTONOMOUS: 3 };
const SENSITIVE_AUTONOMY = AUTONOMY_RANK.EXECUTE;
const DEFAULT_CREDENTIAL_MAX_DAYS = 90;
const DEFAULT_EXPIRY_MAX_DAYS = 180;
const PRIVILEGED_ROLES: readonly Role[] = ["ADMIN", "SECURITY_LEAD"];

export async function grantChecks(
  { tx }: SensitiveCheckContext,
  input: { identityId: string; systemId: string; permission: string },
): Promise<SensitiveMatch[]> {
  const system = await tx.system.findUnique({ where: { id: input.systemId } });
  const identity = await tx.aiIdentity.findUnique({ where: { id: input.identityId }, select: { id: true, name: true } });
  if (!system || !identity) return [];
  return grantMatch(system, input.permission, identity);
}

/**
 * The grant rule on its own, for a grant of an identity that may not exist yet
 * (one registered from a template, lib/templates/register.ts: no `id`).
 */
export function grantMatch(
  system: { id: string; name: string; environment: string; sensitivity: string; proposedSensitivity: string | null },
  permission: string,
  identity: { id?: string; name: string },
): SensitiveMatch[] {
  const reasons: string[] = [];
  if (PRIVILEGED_PERMISSIONS.includes(permission as never)) reasons.push(`${permission} is a privileged permission`);
  if (system.environment === "PROD") reasons.push(`${system.name} is a production system`);
  // A sensitivity still awaiting a security lead's confirmation counts as restricted.
  if (system.sensitivity === "RESTRICTED" || system.proposedSensitivity) reasons.push(`${system.name} is restricted`);
  if (reasons.length === 0) return [];
  return [
    {
      key: "grant.sensitive",
      reason: reasons.join("; "),
      summary: `Grant ${permission} on ${system.name} (${system.environment}) to ${identity.name}`,
      identityId: identity.id,
      systemId: system.id,
    },
  ];
}

/**
 * Moving a system into production, or making it restricted, widens what every
 * identity with access to it can reach, without a new grant to approve; so it
 * is sensitive while any identity still has live access to the system.
 */
export async function systemReclassifiedChecks(
  { tx }: SensitiveCheckContext,
  input: { systemId: string; environment?: string; sensitivity?: string },
): Promise<SensitiveMatch[]> {
  const system = await tx.system.findUnique({ where: { id: input.systemId } });
  if (!system) return [];
  const moves: string[] = [];
  if (input.environment === "PROD" && system.environment !== "PROD") moves.push("into production");
  if (input.sensitivity === "RESTRICTED" && system.sensitivity !== "RESTRICTED") moves.push("to restricted");
  if (moves.length === 0) return [];
  const now = new Date();
  const reaching = await tx.grant.findMany({
    where: { systemId: system.id, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    distinct: ["identityId"],
    select: { identityId: true },
  });
  if (reaching.length === 0) return [];
  const identities = reaching.length === 1 ? "1 identity has" : `${reaching.length} identities have`;
  return [
    {
      key: "system.reclassified",
      reason: `${identities} access to ${system.name}, which would move ${moves.join(" and ")}`,
      summary: `Move ${system.name} (${system.environment}) ${moves.join(" and ")}`,
      systemId: system.id,
    },
  ];
}

function credentialMatch(
  maxDays: number | null,
  identity: { id: string; name: string },
  label: string,
  issuedAt: Date,
  expiresAt: Date | undefined | null,
  verb: string,
): SensitiveMatch[] {
  const limit = maxDays ?? DEFAULT_CREDENTIAL_MAX_DAYS;
  const lifetimeDays = expiresAt ? Math.ceil((expiresAt.getTime() - issuedAt.getTime()) / DAY_MS) : undefined;
  if (lifetimeDays !== undefined && lifetimeDays <= limit) return [];
  return [
    {
      key: "credential.long_lived",
      reason: lifetimeDays === undefined ? "it never expires" : `it lives ${days(lifetimeDays)}, more than ${days(limit)}`,
      summary: `${verb} long-lived credential ${label} for ${identity.name}`,
      identityId: identity.id,
    },
  ];
}

export async function credentialCreateChecks(
  { tx, catalog }: SensitiveCheckContext,
  input: { identityId: string; label: string; issuedAt: Date; expiresAt?: Date | null },
): Promise<SensitiveMatch[]> {
  const identity = await tx.aiIdentity.findUnique({ where: { id: input.identityId }, select: { id: true, name: true } });
  if (!identity) return [];
  return credentialMatch(catalog["credential.long_lived"].maxDays, identity, input.label, input.issuedAt, input.expiresAt, "Record");
}

export async function credentialRotateChecks(
  { tx, catalog }: SensitiveCheckContext,
  input: { credentialId: string; rotatedAt?: Date; expiresAt?: Date | null },
): Promise<SensitiveMatch[]> {
  const credential = await tx.credential.findUnique({
    where: { id: input.credentialId },
    select: { label: true, identity: { select: { id: true, name: true } } },
  });
  if (!credential) return [];
  const issuedAt = input.rotatedAt ?? new Date();
  return credentialMatch(
    catalog["credential.long_lived"].maxDays,
    credential.identity,
    credential.label,
    issuedAt,
    input.expiresAt,
    "Rotate to a",
  );
}

function expiryLimit(catalog: SensitiveCheckContext["catalog"]): number {
  return catalog["identity.expiry_extended"].maxDays ?? DEFAULT_EXPIRY_MAX_DAYS;
}

/** A registration: high autonomy, or an expiry beyond the limit. */
export async function identityCreateChecks(
  { catalog }: SensitiveCheckContext,
  input: { name: string; environment: string; autonomy?: Autonomy; expiresAt: Date },
): Promise<SensitiveMatch[]> {
  const matches: SensitiveMatch[] = [];
  const label = `${input.name} (${input.environment})`;
  if (input.autonomy && AUTONOMY_RANK[input.autonomy] >= SENSITIVE_AUTONOMY) {
    matches.push({
      key: "identity.autonomy_raised",
      reason: `it would act at ${input.autonomy} autonomy`,
      summary: `Register ${label} at ${input.autonomy} autonomy`,
    });
  }
  const limit = expiryLimit(catalog);
  if (input.expiresAt.getTime() > Date.now() + limit * DAY_MS) {
    matches.push({
      key: "identity.expiry_extended",
      reason: `its expiry ${input.expiresAt.toISOString().slice(0, 10)} is more than ${days(limit)} ahead`,
      summary: `Register ${label} until ${input.expiresAt.toISOString().slice(0, 10)}`,
    });
  }
  return matches;
}

/** An edit: autonomy raised to execute or above, or the expiry moved later and beyond the limit. */
export async function identityUpdateChecks(
  { tx, catalog }: SensitiveCheckContext,
  input: { identityId: string; autonomy?: Autonomy; expiresAt?: Date },
): Promise<SensitiveMatch[]> {
  const before = await tx.aiIdentity.findUnique({ where: { id: input.identityId } });
  if (!before) return [];
  const matches: SensitiveMatch[] = [];
  if (
    input.autonomy &&
    AUTONOMY_RANK[input.autonomy] >= SENSITIVE_AUTONOMY &&
    AUTONOMY_RANK[input.autonomy] > AUTONOMY_RANK[before.autonomy]
  ) {
    matches.push({
      key: "identity.autonomy_raised",
      reason: `autonomy would rise from ${before.autonomy} to ${input.autonomy}`,
      summary: `Raise ${before.name}'s autonomy to ${input.autonomy}`,
      identityId: before.id,
    });
  }
  const limit = expiryLimit(catalog);
  if (input.expiresAt && input.expiresAt > before.expiresAt && input.expiresAt.getTime() > Date.now() + limit * DAY_MS) {
    const date = input.expiresAt.toISOString().slice(0, 10);
    matches.push({
      key: "identity.expiry_extended",
      reason: `the expiry would move to ${date}, more than ${days(limit)} ahead`,
      summary: `Extend ${before.name}'s expiry to ${date}`,
      identityId: before.id,
    });
  }
  return matches;
}

export async function identityReactivateChecks({ tx }: SensitiveCheckContext, input: { identityId: string }): Promise<SensitiveMatch[]> {
  const identity = await tx.aiIdentity.findUnique({ where: { id: input.identityId }, select: { id: true, name: true, status: true } });
  if (!identity) return [];
  return [
    {
      key: "identity.reactivated",
      reason: `${identity.name} is ${identity.status.toLowerCase()}`,
      summary: `Reactivate ${identity.name}`,
      identityId: identity.id,
    },
  ];
}

function privilegedRoleMatch(email: string, added: Role[]): SensitiveMatch[] {
  const privileged = added.filter((role) => PRIVILEGED_ROLES.includes(role));
  if (privileged.length === 0) return [];
  const names = privileged.map((role) => (role === "ADMIN" ? "admin" : "security lead")).join(" and ");
  return [{ key: "user.privileged_role", reason: `${email} would become ${names}`, summary: `Make ${email} ${names}` }];
}

export async function userCreateChecks(_ctx: SensitiveCheckContext, input: { email: string; roles?: Role[] }): Promise<SensitiveMatch[]> {
  return privilegedRoleMatch(input.email, input.roles ?? []);
}

export async function userRolesChecks({ tx }: SensitiveCheckContext, input: { userId: string; roles: Role[] }): Promise<SensitiveMatch[]> {
  const user = await tx.user.findUnique({ where: { id: input.userId }, select: { email: true, roles: true } });
  if (!user) return [];
  return privilegedRoleMatch(
    user.email,
    input.roles.filter((role) => !user.roles.includes(role)),
  );
}
