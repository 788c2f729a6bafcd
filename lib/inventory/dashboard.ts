import type { Db } from "@/lib/db/client";
import { Environment, IdentityKind, IdentityStatus, RiskTier } from "@/lib/db/generated/enums";
import { KIND_LABELS, RISK_LABELS, STATUS_LABELS } from "./labels";
import { countIdentities, CREDENTIAL_AGE_BUCKETS, parseInventoryQuery, type CredentialAgeBucket } from "./query";

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

async function countFor(db: Db, label: string, query: string, now: Date): Promise<LinkedCount> {
  return { label, query, count: await countIdentities(db, parseInventoryQuery(new URLSearchParams(query)), now) };
}

export interface Dashboard {
  total: LinkedCount;
  byStatus: (LinkedCount & { status: IdentityStatus })[];
  attention: { key: string; item: LinkedCount }[];
  byRisk: (LinkedCount & { tier: RiskTier })[];
  credentialAge: (LinkedCount & { bucket: CredentialAgeBucket })[];
  byKindAndEnvironment: { kind: IdentityKind; label: string; cells: (LinkedCount & { kind: IdentityKind; environment: Environment })[] }[];
}

export async function loadDashboard(db: Db, now = new Date()): Promise<Dashboard> {
  const count = (label: string, query: string) => countFor(db, label, query, now);
  const statuses = Object.values(IdentityStatus);
  const tiers = Object.values(RiskTier);
  const buckets = Object.keys(CREDENTIAL_AGE_BUCKETS) as CredentialAgeBucket[];
  const kinds = Object.values(IdentityKind);
  const environments = Object.values(Environment);

  const [byStatus, attentionCounts, byRisk, credentialAge, kindCells] = await Promise.all([
    Promise.all(statuses.map(async (status) => ({ status, ...(await count(STATUS_LABELS[status], `status=${status}`)) }))),
    Promise.all(
      [
        { key: "orphaned", label: "Orphaned (owner deactivated)", query: `orphaned=1&${LIVE}` },
        { key: "review-overdue", label: "Review overdue", query: "reviewOverdue=1" },
        { key: "expiring", label: "Expiring within 30 days", query: "expiresWithinDays=30" },
        { key: "long-lived", label: "With a long-lived credential", query: `longLivedCredential=1&${LIVE}` },
      ].map(async ({ key, label, query }) => ({ key, item: await count(label, query) })),
    ),
    Promise.all(tiers.map(async (tier) => ({ tier, ...(await count(RISK_LABELS[tier], `risk=${tier}&${LIVE}`)) }))),
    Promise.all(
      buckets.map(async (bucket) => ({
        bucket,
        ...(await count(`${bucket} days`, `credentialAge=${encodeURIComponent(bucket)}&${LIVE}`)),
      })),
    ),
    Promise.all(
      kinds.flatMap((kind) =>
        environments.map(async (environment) => ({
          kind,
          environment,
          ...(await count(`${KIND_LABELS[kind]} in ${environment.toLowerCase()}`, `kind=${kind}&environment=${environment}&${LIVE}`)),
        })),
      ),
    ),
  ]);

  // Two numbers are sums of others instead of counts of their own (each count reads an index over
  // the whole inventory): every identity has a status, and high or critical is two of the risk tiers.
  // dashboard.test.ts still compares each with its own link.
  const total = { label: "All identities", query: "", count: byStatus.reduce((sum, item) => sum + item.count, 0) };
  const highOrCritical = byRisk.filter((item) => item.tier === "HIGH" || item.tier === "CRITICAL");
  const attention = [
    ...attentionCounts,
    {
      key: "high-risk",
      item: {
        label: "High or critical risk",
        query: `risk=HIGH,CRITICAL&${LIVE}`,
        count: highOrCritical.reduce((sum, item) => sum + item.count, 0),
      },
    },
  ];

  const byKindAndEnvironment = kinds.map((kind) => ({
    kind,
    label: KIND_LABELS[kind],
    cells: kindCells.filter((cell) => cell.kind === kind),
  }));
  return { total, byStatus, attention, byRisk, credentialAge, byKindAndEnvironment };
}
