import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createTestUser } from "@/lib/testing/factories";
import { recomputeAllRisk } from "./recompute-risk";

describe("recomputeAllRisk", () => {
  it("re-rates identities whose inputs changed with time alone, and only those", async () => {
    const { user } = await createTestUser();
    const day = 86_400_000;
    const make = (name: string) =>
      prisma.aiIdentity.create({
        data: { name, kind: "PLUGIN", purpose: "test", environment: "DEV", ownerId: user.id, expiresAt: new Date(Date.now() + 90 * day), nextReviewAt: new Date(Date.now() + 30 * day) },
      });
    const [stale, fresh] = await Promise.all([make("time-passes"), make("still-fine")]);
    expect(await recomputeAllRisk(prisma)).toBe(0);

    // Time passes: the review date goes by without any mutation touching the identity.
    await prisma.aiIdentity.update({ where: { id: stale.id }, data: { nextReviewAt: new Date(Date.now() - 3 * day) } });
    expect(await recomputeAllRisk(prisma, new Date(), 1)).toBe(1);
    const rated = await prisma.aiIdentity.findUniqueOrThrow({ where: { id: stale.id } });
    expect(rated.riskTier).toBe("MEDIUM");
    expect(rated.riskReasons).toEqual(["review overdue by 3 days"]);
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: fresh.id } })).riskTier).toBe("LOW");
  });
});
