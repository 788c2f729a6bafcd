import type { ApiTokenScope, Role } from "@/lib/db/generated/enums";
import type { AuditActor } from "@/lib/audit/record";
import { hasPermission, type Permission } from "./permissions";

/** Who is asking: a signed-in person, an API token acting for its creator, or Warrant itself (CLI, jobs, seed). */
export type Actor =
  | { kind: "user"; userId: string; label: string; roles: Role[] }
  | { kind: "api_token"; tokenId: string; userId: string; label: string; roles: Role[]; scopes: ApiTokenScope[] }
  | {
      kind: "system";
      label: string;
      /** Set when Warrant acts at an AI identity's own request (a runtime endpoint): audited as that identity. */
      identityId?: string;
    };

function isReadPermission(permission: Permission): boolean {
  return permission.endsWith(":read");
}

/** A token can never do more than its creator, and only what its scopes allow. */
function scopeAllows(scopes: readonly ApiTokenScope[], permission: Permission): boolean {
  if (isReadPermission(permission)) return scopes.includes("READ") || scopes.includes("WRITE");
  return scopes.includes("WRITE");
}

export function can(actor: Actor, permission: Permission): boolean {
  switch (actor.kind) {
    case "system":
      return true;
    case "user":
      return hasPermission(actor.roles, permission);
    case "api_token":
      return hasPermission(actor.roles, permission) && scopeAllows(actor.scopes, permission);
  }
}

export function toAuditActor(actor: Actor): AuditActor {
  switch (actor.kind) {
    case "system":
      return actor.identityId
        ? { type: "IDENTITY", id: actor.identityId, label: actor.label }
        : { type: "SYSTEM", id: null, label: actor.label };
    case "user":
      return { type: "USER", id: actor.userId, label: actor.label };
    case "api_token":
      return { type: "API_TOKEN", id: actor.tokenId, label: actor.label };
  }
}
