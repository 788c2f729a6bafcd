import type { Tx } from "@/lib/db/client";
import type { Permission as GrantPermission } from "@/lib/db/generated/enums";

// The kinds of change that wait for humans. The kinds are fixed here; whether
// each is on, which rule applies and its limit in days live in the
// ApprovalCatalogEntry table, which security leads edit (the migration that
// created it holds the defaults). A mutation says which of its inputs are
// sensitive with a `sensitive` check (see lib/auth/mutation.ts); the check
// runs in executeMutation, the one path every change takes.

export const CATALOG = {
  "grant.sensitive": {
    label: "Privileged access or access to a production or restricted system",
    description: "A grant of write, deploy or admin, or any grant on a PROD or RESTRICTED system.",
    mutations: ["grants.create", "identities.create-from-template", "discovery.register-finding"],
  },
  "system.reclassified": {
    label: "System moved into production or restricted",
    description:
      "A system that identities already have access to, moved to PROD or to RESTRICTED: their existing access becomes access the grant entry would have asked approval for.",
    mutations: ["systems.update"],
  },
  "credential.long_lived": {
    label: "Long-lived credential",
    description: "A credential with no expiry, or one that expires more than the limit after it was issued.",
    mutations: ["credentials.create", "credentials.rotate"],
  },
  "identity.autonomy_raised": {
    label: "Raised autonomy",
    description: "An identity registered with, or raised to, execute or autonomous.",
    mutations: [
      "identities.create",
      "identities.update",
      "identities.import",
      "identities.create-from-template",
      "discovery.register-finding",
    ],
  },
  "identity.expiry_extended": {
    label: "Expiry beyond the limit",
    description: "An identity whose expiry date is set, or extended, more than the limit ahead.",
    mutations: [
      "identities.create",
      "identities.update",
      "identities.import",
      "identities.create-from-template",
      "discovery.register-finding",
    ],
  },
  "identity.reactivated": {
    label: "Reactivation",
    description: "A suspended or expired identity brought back into service.",
    mutations: ["identities.reactivate"],
  },
  "user.privileged_role": {
    label: "Admin or security lead role",
    description: "Giving a person the admin or security lead role.",
    mutations: ["users.create", "users.set-roles"],
  },
  "approvals.rules_changed": {
    label: "Approval rules",
    description: "A change to the approval rules or to this catalog.",
    mutations: ["approvals.update-rule", "approvals.update-catalog-entry"],
  },
  "policy.activated": {
    label: "Runtime policy change",
    description: "Activating a version of the Cedar policies that judge what agents may do.",
    mutations: ["policies.activate"],
  },
  "access.issue": {
    label: "Just-in-time access",
    description: "A just-in-time token an agent asked for that the runtime policies mark for a human's approval.",
    mutations: ["access.issue"],
  },
  "control.excepted": {
    label: "Control exception",
    description: "Accepting an object a control finds failing, for a while: it then counts as excepted instead of failing.",
    mutations: ["controls.add-exception"],
  },
  "runtime.call": {
    label: "Agent action needing approval",
    description:
      "A tool call or action an AI identity asked for that the runtime policies allow only once a human approves that exact call.",
    mutations: ["runtime.allow-call-once"],
  },
} as const satisfies Record<string, { label: string; description: string; mutations: readonly string[] }>;

export type CatalogKey = keyof typeof CATALOG;
export const CATALOG_KEYS = Object.keys(CATALOG) as CatalogKey[];

export const PRIVILEGED_PERMISSIONS: readonly GrantPermission[] = ["WRITE", "DEPLOY", "ADMIN"];

export interface CatalogSetting {
  enabled: boolean;
  ruleId: string;
  maxDays: number | null;
}

export type CatalogSettings = Record<CatalogKey, CatalogSetting>;

/** What a sensitive check found: which catalog entry matched, why, and what the change is about. */
export interface SensitiveMatch {
  key: CatalogKey;
  /** Why it matched, for the approver: "DEPLOY is a privileged permission". */
  reason: string;
  /** One line for lists: "Grant DEPLOY on payments (PROD) to release-bot". */
  summary: string;
  identityId?: string;
  systemId?: string;
}

export interface SensitiveCheckContext {
  tx: Tx;
  catalog: CatalogSettings;
}

/** The catalog as stored. Every kind needs its row (added by the migration that adds the kind). */
export async function loadCatalog(tx: Tx): Promise<CatalogSettings> {
  const rows = await tx.approvalCatalogEntry.findMany();
  const settings = {} as CatalogSettings;
  for (const key of CATALOG_KEYS) {
    const row = rows.find((entry) => entry.key === key);
    if (!row) throw new Error(`The approval catalog has no entry ${key}: add it in a migration`);
    settings[key] = { enabled: row.enabled, ruleId: row.ruleId, maxDays: row.maxDays };
  }
  return settings;
}

/** "180 days", for reasons. */
export function days(count: number): string {
  return `${count} day${count === 1 ? "" : "s"}`;
}
