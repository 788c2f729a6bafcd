import type { Permission } from "@/lib/db/generated/enums";
import { proposedIdentitySchema, type ProposedIdentity } from "@/lib/validation/discovery";

// A finding's proposal is stored as JSON (DiscoveryFinding.proposal); it is
// read back through its schema, so a row written by an older scanner shows as
// "no proposal" rather than breaking a page.

/** Permissions from least to most, the order they are listed and granted in. */
export const PERMISSION_ORDER: Permission[] = ["READ", "WRITE", "DEPLOY", "ADMIN"];

export function parseProposal(value: unknown): ProposedIdentity | null {
  const parsed = proposedIdentitySchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The repository permissions a finding implies (none without a proposal). */
export function impliedPermissions(proposal: unknown): Permission[] {
  const permissions = parseProposal(proposal)?.permissions ?? [];
  return PERMISSION_ORDER.filter((permission) => permissions.includes(permission));
}
