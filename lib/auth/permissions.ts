import type { Role } from "@/lib/db/generated/enums";

// What each role may do. Every signed-in user is a member (anyone can own
// identities); roles add powers. AUDITOR is exclusive and read-only: an
// auditor reads everything and changes nothing, so it gets no member powers.

export type Permission =
  | "inventory:read"
  | "inventory:write"
  | "audit:read"
  | "users:read"
  | "users:manage"
  | "tokens:manage-own"
  /** Revoke anyone's API token: a token can be how an incident spreads. */
  | "tokens:revoke-any"
  /** See every approval request, not only one's own and those one may decide. */
  | "approvals:read"
  /** Decide (and withdraw one's own) approval requests; which ones is up to each request's levels. */
  | "approvals:decide"
  /** Apply a pending change at once in an emergency. */
  | "approvals:break-glass"
  /** Edit the approval rules and catalog (itself a sensitive change). */
  | "approvals:configure"
  /** Read the notification outbox (every message's text) and manage webhooks, whose secrets sign what Warrant sends. */
  | "notifications:manage"
  /** Read the runtime policies (every member: owners need to know why their agents are stopped). */
  | "policies:read"
  /** Write new policy versions and activate one (activation is itself a sensitive change). */
  | "policies:write"
  /** Read the frameworks and Warrant's controls (everyone: owners fix what a control finds, auditors assess it). */
  | "controls:read"
  /** Add frameworks of the organisation's own, run controls, map them and accept failing objects. */
  | "controls:manage"
  /**
   * Ask for evidence packages and download them. An export changes nothing Warrant governs (it is
   * audited as who exported what), and auditors are who it is for: the one thing they may ask for.
   */
  | "evidence:export"
  /** Set the lifecycle's numbers (escalation, change reviews, cadence by tier), run review campaigns and edit identity templates. */
  | "lifecycle:configure";

const MEMBER: Permission[] = [
  "inventory:read",
  "inventory:write",
  "tokens:manage-own",
  "approvals:decide",
  "policies:read",
  "controls:read",
];

const BY_ROLE: Record<Role, Permission[]> = {
  ADMIN: [
    ...MEMBER,
    "users:read",
    "users:manage",
    "audit:read",
    "tokens:revoke-any",
    "approvals:read",
    "approvals:break-glass",
    "notifications:manage",
  ],
  SECURITY_LEAD: [
    ...MEMBER,
    "users:read",
    "audit:read",
    "tokens:revoke-any",
    "approvals:read",
    "approvals:configure",
    "policies:write",
    "controls:manage",
    "evidence:export",
    "lifecycle:configure",
  ],
  APPROVER: [...MEMBER],
  AUDITOR: ["inventory:read", "audit:read", "users:read", "approvals:read", "policies:read", "controls:read", "evidence:export"],
};

export const ROLE_LABELS: Record<Role, string> = {
  ADMIN: "Admin",
  SECURITY_LEAD: "Security lead",
  APPROVER: "Approver",
  AUDITOR: "Auditor",
};

export function permissionsFor(roles: readonly Role[]): Set<Permission> {
  if (roles.includes("AUDITOR")) return new Set(BY_ROLE.AUDITOR);
  const granted = new Set<Permission>(MEMBER);
  for (const role of roles) for (const permission of BY_ROLE[role]) granted.add(permission);
  return granted;
}

export function hasPermission(roles: readonly Role[], permission: Permission): boolean {
  return permissionsFor(roles).has(permission);
}

/** Auditors must stay read-only, so the role cannot be combined with one that changes things. */
export function rolesConflict(roles: readonly Role[]): string | undefined {
  return roles.includes("AUDITOR") && roles.length > 1
    ? "Auditor cannot be combined with other roles: an auditor must be able to change nothing"
    : undefined;
}
