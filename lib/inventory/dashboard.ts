import type { Db } from "@/lib/db/client";
import { Environment, IdentityKind, IdentityStatus, RiskTier } from "@/lib/db/generated/enums";
import { KIND_LABELS, RISK_LABELS, STATUS_LABELS } from "./labels";
import { countIdentitiesEach, CREDENTIAL_AGE_BUCKETS, parseInventoryQuery, type CredentialAgeBucket } from "./query";

// Every number on the dashboard is defined by the inventory link it opens:
// the count is computed from that link's own query string with the same
// filter code the inventory table uses, so a click always shows exactly the
// rows that were counted.

export interface LinkedCount {
  label: string;
  /** Query string for /inventory, e.g. "status=ACTIVE". */
  query: string;
  count: number;
}

const LIVE = "status=PROPOSED,ACTIVE,SUSPENDED";

export function inventoryHref(query: string): string {
  return query ? `/inventory?${query}` : "/inventory";
}

export interface Dashboard {
  total: LinkedCount;
  byStatus: (LinkedCount & { status: IdentityStatus })[];
  attention: { key: string; item: LinkedCount }[];
  byRisk: (LinkedCount & { tier: RiskTier })[];
  credentialAge: (LinkedCount & { bucket: CredentialAgeBucket })[];
  byKindAndEnvironment: { kind: IdentityKind; label: string; cells: (LinkedCount & { kind: IdentityKind; environment: Environment })[] }[];
}

/**
 * Every number on the dashboard, counted in one statement so they are all
 * exact as of the same moment: forty-odd separate counts each read the whole
 * inventory and made the page the slowest one on a large inventory.
 */
export async function loadDashboard(db: Db, now = new Date()): Promise<Dashboard> {
  const links: { label: string; query: string }[] = [];
  // Registers a number to count; the returned function reads it once the counts are in.
  const link = (label: string, query: string) => {
    const index = links.push({ label, query }) - 1;
    return (): LinkedCount => ({ label, query, count: counts[index]! });
  };
  const kinds = Object.values(IdentityKind);
  const environments = Object.values(Environment);

  const total = link("All identities", "");
  const byStatus = Object.values(IdentityStatus).map((status) => ({ status, item: link(STATUS_LABELS[status], `status=${status}`) }));
  const attention = [
    { key: "orphaned", item: link("Orphaned (owner deactivated)", `orphaned=1&${LIVE}`) },
    { key: "review-overdue", item: link("Review overdue", "reviewOverdue=1") },
    { key: "expiring", item: link("Expiring within 30 days", "expiresWithinDays=30") },
    { key: "long-lived", item: link("With a long-lived credential", `longLivedCredential=1&${LIVE}`) },
    { key: "high-risk", item: link("High or critical risk", `risk=HIGH,CRITICAL&${LIVE}`) },
  ];
  const byRisk = Object.values(RiskTier).map((tier) => ({ tier, item: link(RISK_LABELS[tier], `risk=${tier}&${LIVE}`) }));
  const credentialAge = (Object.keys(CREDENTIAL_AGE_BUCKETS) as CredentialAgeBucket[]).map((bucket) => ({
    bucket,
    item: link(`${bucket} days`, `credentialAge=${encodeURIComponent(bucket)}&${LIVE}`),
  }));
  const kindCells = kinds.map((kind) =>
    environments.map((environment) => ({
      kind,
      environment,
      item: link(`${KIND_LABELS[kind]} in ${environment.toLowerCase()}`, `kind=${kind}&environment=${environment}&${LIVE}`),
    })),
  );

  const counts = await countIdentitiesEach(
    db,
    links.map(({ query }) => parseInventoryQuery(new URLSearchParams(query))),
    now,
  );
  return {
    total: total(),
    byStatus: byStatus.map(({ status, item }) => ({ status, ...item() })),
    attention: attention.map(({ key, item }) => ({ key, item: item() })),
    byRisk: byRisk.map(({ tier, item }) => ({ tier, ...item() })),
    credentialAge: credentialAge.map(({ bucket, item }) => ({ bucket, ...item() })),
    byKindAndEnvironment: kinds.map((kind, row) => ({
      kind,
      label: KIND_LABELS[kind],
      cells: kindCells[row]!.map(({ environment, item }) => ({ kind, environment, ...item() })),
    })),
  };
}
