import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { DEMO_IDENTITIES, DEMO_USERS, seedDemoDataOnce } from "@/lib/demo/seed";
import { loadDashboard, type Dashboard } from "./dashboard";
import { findIdentitiesPage, parseInventoryQuery } from "./query";

// Expectations are computed from the demo data's own definition, not from the
// code under test.
const live = DEMO_IDENTITIES.filter((identity) => ["PROPOSED", "ACTIVE", "SUSPENDED"].includes(identity.status));
const inactiveOwners = new Set(DEMO_USERS.filter((user) => user.active === false).map((user) => user.email));

let dashboard: Dashboard;

beforeAll(async () => {
  await seedDemoDataOnce(prisma);
  dashboard = await loadDashboard(prisma);
});

describe("loadDashboard", () => {
  it("counts identities by status", () => {
    expect(dashboard.total.count).toBe(DEMO_IDENTITIES.length);
    for (const item of dashboard.byStatus) {
      expect(item.count, item.status).toBe(DEMO_IDENTITIES.filter((identity) => identity.status === item.status).length);
    }
  });

  it("counts what needs attention among identities in use", () => {
    const attention = Object.fromEntries(dashboard.attention.map(({ key, item }) => [key, item.count]));
    expect(attention.orphaned).toBe(live.filter((identity) => inactiveOwners.has(identity.owner)).length);
    expect(attention["review-overdue"]).toBe(live.filter((identity) => identity.nextReviewInDays < 0).length);
    expect(attention.expiring).toBe(live.filter((identity) => identity.expiresInDays >= 0 && identity.expiresInDays <= 30).length);
    expect(attention.orphaned).toBeGreaterThan(0);
  });

  it("counts identities in use by kind and environment", () => {
    for (const row of dashboard.byKindAndEnvironment) {
      for (const cell of row.cells) {
        const expected = live.filter((identity) => identity.kind === row.kind && identity.environment === cell.environment).length;
        expect(cell.count, `${row.kind}/${cell.environment}`).toBe(expected);
      }
    }
  });

  it("counts identities in use by the age of their active credentials", () => {
    // Bucket [min, max) in days: an identity counts once in each bucket holding one of its credentials.
    const ranges: Record<string, [number, number]> = {
      "0-30": [0, 30],
      "30-90": [30, 90],
      "90-180": [90, 180],
      "180-365": [180, 365],
      "365+": [365, Infinity],
    };
    // The demo's approved request (lib/demo/seed-approvals.ts) issues one more credential today.
    const ages = (identity: (typeof live)[number]) => [
      ...identity.credentials.map((credential) => credential.ageDays),
      ...(identity.name === "copilot-payments-ide" ? [0] : []),
    ];
    expect(dashboard.credentialAge.map((item) => item.bucket)).toEqual(Object.keys(ranges));
    for (const item of dashboard.credentialAge) {
      const [min, max] = ranges[item.bucket]!;
      const expected = live.filter((identity) => ages(identity).some((age) => age >= min && age < max)).length;
      expect(item.count, item.bucket).toBe(expected);
    }
    expect(dashboard.credentialAge.some((item) => item.count > 1)).toBe(true);
  });

  it("links every number to an inventory view holding exactly the rows counted", async () => {
    const all = [
      dashboard.total,
      ...dashboard.byStatus,
      ...dashboard.attention.map(({ item }) => item),
      ...dashboard.byRisk,
      ...dashboard.credentialAge,
      ...dashboard.byKindAndEnvironment.flatMap((row) => row.cells),
    ];
    for (const item of all) {
      const page = await findIdentitiesPage(prisma, parseInventoryQuery(new URLSearchParams(item.query)), 1, 100);
      expect(page.total, item.query).toBe(item.count);
    }
    expect(dashboard.byRisk.reduce((sum, item) => sum + item.count, 0)).toBe(live.length);
  });
});
