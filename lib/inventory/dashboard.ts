import type { Db } from "@/lib/db/client";
import { Environment, IdentityKind, IdentityStatus, RiskTier } from "@/lib/db/generated/enums";
import { KIND_LABELS, RISK_LABELS, STATUS_LABELS } from "./labels";
import {
  countFromGroups,
  countIdentitiesEach,
  countIdentitiesWithin,
  countIdentityGroups,
  CREDENTIAL_AGE_BUCKETS,
  parseInventoryQuery,
  type CredentialAgeBucket,
} from "./query";

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

/** A number the dashboard shows, before it is counted: its label and the inventory link it opens. */
interface Link {
  label: string;
  query: string;
}

const parse = (query: string) => parseInventoryQuery(new URLSearchParams(query));

/** Each link's count, keyed by its query, from one statement: an index lookup each (inventoryCountsSql). */
async function countLinks(db: Db, links: Link[], now: Date): Promise<Map<string, number>> {
  const counts = await countIdentitiesEach(
    db,
    links.map((link) => parse(link.query)),
    now,
  );
  return new Map(links.map((link, index) => [link.query, counts[index]!]));
}

/**
 * The same for links that all add one filter to `within` (`${filter}&${within}`),
 * counted in one pass over `within`'s rows: how many match `within` and the
 * filter is how many the link shows.
 */
async function countLinksWithin(db: Db, links: (Link & { filter: string })[], within: string, now: Date): Promise<Map<string, number>> {
  const counts = await countIdentitiesWithin(
    db,
    parse(within),
    links.map((link) => parse(link.filter)),
    now,
  );
  return new Map(links.map((link, index) => [link.query, counts[index]!]));
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
  const statuses = Object.values(IdentityStatus).map((status) => ({ status, label: STATUS_LABELS[status], query: `status=${status}` }));
  const attention = [
    { key: "orphaned", label: "Orphaned (owner deactivated)", query: `orphaned=1&${LIVE}` },
    { key: "review-overdue", label: "Review overdue", query: "reviewOverdue=1" },
    { key: "expiring", label: "Expiring within 30 days", query: "expiresWithinDays=30" },
    { key: "long-lived", label: "With a long-lived credential", query: `longLivedCredential=1&${LIVE}` },
  ];
  const tiers = Object.values(RiskTier).map((tier) => ({ tier, label: RISK_LABELS[tier], query: `risk=${tier}&${LIVE}` }));
  const buckets = (Object.keys(CREDENTIAL_AGE_BUCKETS) as CredentialAgeBucket[]).map((bucket) => {
    const filter = `credentialAge=${encodeURIComponent(bucket)}`;
    return { bucket, label: `${bucket} days`, filter, query: `${filter}&${LIVE}` };
  });
  const kinds = Object.values(IdentityKind).map((kind) => ({
    kind,
    label: KIND_LABELS[kind],
    cells: Object.values(Environment).map((environment) => ({
      kind,
      environment,
      label: `${KIND_LABELS[kind]} in ${environment.toLowerCase()}`,
      query: `kind=${kind}&environment=${environment}&${LIVE}`,
    })),
  }));

  // Three statements at once, each on its own PostgreSQL backend: a count per round trip (forty of
  // them) cost more in Node than in PostgreSQL.
  // - The links by status, risk, kind and environment are summed from one pass over the index of
  //   those four columns (countFromGroups refuses any other filter): 25 index counts, which read the
  //   identities about two and a half times, took twice as long (22 against 11 ms on 100,000).
  // - The bounded credential-age buckets are one pass over the identities in use: each bucket alone
  //   would scan them all again.
  // - The rest are an index lookup each.
  const boundedAges = buckets.filter((bucket) => CREDENTIAL_AGE_BUCKETS[bucket.bucket][1] !== null);
  const openAges = buckets.filter((bucket) => CREDENTIAL_AGE_BUCKETS[bucket.bucket][1] === null);
  const grouped = [...statuses, ...tiers, ...kinds.flatMap((kind) => kind.cells)];
  const [identityGroups, ...linkCounts] = await Promise.all([
    countIdentityGroups(db),
    countLinks(db, [...attention, ...openAges], now),
    countLinksWithin(db, boundedAges, LIVE, now),
  ]);
  const counts = new Map(linkCounts.flatMap((group) => [...group]));
  for (const link of grouped) counts.set(link.query, countFromGroups(identityGroups, parse(link.query)));
  const counted = <T extends Link>(link: T): T & LinkedCount => ({ ...link, count: counts.get(link.query)! });

  const byStatus = statuses.map(counted);
  const byRisk = tiers.map(counted);
  // Two numbers are sums of others instead of counts of their own (each count reads an index over
  // the whole inventory): every identity has a status, and high or critical is two of the risk tiers.
  // dashboard.test.ts still compares each with its own link.
  const total = { label: "All identities", query: "", count: byStatus.reduce((sum, item) => sum + item.count, 0) };
  const highOrCritical = byRisk.filter((item) => item.tier === "HIGH" || item.tier === "CRITICAL");
  return {
    total,
    byStatus,
    attention: [
      ...attention.map(({ key, ...link }) => ({ key, item: counted(link) })),
      {
        key: "high-risk",
        item: {
          label: "High or critical risk",
          query: `risk=HIGH,CRITICAL&${LIVE}`,
          count: highOrCritical.reduce((sum, item) => sum + item.count, 0),
        },
      },
    ],
    byRisk,
    credentialAge: buckets.map(({ bucket, label, query }) => counted({ bucket, label, query })),
    byKindAndEnvironment: kinds.map((kind) => ({ ...kind, cells: kind.cells.map(counted) })),
  };
}
