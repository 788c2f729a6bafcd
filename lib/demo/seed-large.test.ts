import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { verifyAuditChain } from "@/lib/audit/verify";
import { openDueReviews } from "@/lib/reviews/due";
import { systemActor } from "@/lib/testing/factories";
import { seedLargeInventory } from "./seed-large";

// The same generator as `npm run seed:large`, at a size a test can afford.
const SMALL = { teams: 3, owners: 40, systems: 60, identities: 300, grantsPerIdentity: 4, credentialsPerIdentity: 3 };

describe("seedLargeInventory", () => {
  it("loads the requested shape once, with every identity rated by the risk rule", async () => {
    expect(await seedLargeInventory(prisma, () => undefined, SMALL)).toBe(true);
    expect(await prisma.aiIdentity.count()).toBe(SMALL.identities);
    expect(await prisma.grant.count()).toBe(SMALL.identities * SMALL.grantsPerIdentity);
    expect(await prisma.credential.count()).toBe(SMALL.identities * SMALL.credentialsPerIdentity);
    expect(await prisma.system.count()).toBe(SMALL.systems);
    expect(await prisma.user.count()).toBe(SMALL.owners);

    // Tiers come from the rule, so they vary and every identity has its reasons.
    const tiers = await prisma.aiIdentity.groupBy({ by: ["riskTier"], _count: { _all: true } });
    expect(tiers.length).toBeGreaterThan(1);
    const unexplained = await prisma.aiIdentity.count({ where: { riskTier: { not: "LOW" }, riskReasons: { equals: [] } } });
    expect(unexplained).toBe(0);

    // Access mostly stays within an identity's own environment, so the tiers spread out instead of piling up at the top.
    const [grants] = await prisma.$queryRaw<{ sameEnvironment: number; total: number }[]>`
      SELECT count(*) FILTER (WHERE s."environment" = i."environment")::int AS "sameEnvironment", count(*)::int AS total
      FROM "Grant" g JOIN "System" s ON s."id" = g."systemId" JOIN "AiIdentity" i ON i."id" = g."identityId"`;
    expect(grants!.sameEnvironment / grants!.total).toBeGreaterThan(0.9);
    const critical = await prisma.aiIdentity.count({ where: { riskTier: "CRITICAL" } });
    expect(critical / SMALL.identities).toBeLessThan(0.4);

    // Open reviews are exactly the ones the scheduler would open: running it finds nothing new.
    expect(await prisma.review.count({ where: { status: "OPEN" } })).toBeGreaterThan(0);
    expect(await prisma.review.count({ where: { status: "COMPLETED" } })).toBeGreaterThan(0);
    expect(await openDueReviews(prisma, systemActor)).toBe(0);

    expect(await seedLargeInventory(prisma, () => undefined, SMALL)).toBe(false);
    expect(await prisma.aiIdentity.count()).toBe(SMALL.identities);
    expect((await verifyAuditChain(prisma)).ok).toBe(true);
  });
});
