import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createTestUser, systemActor } from "@/lib/testing/factories";
import { recomputeAllRisk, recomputeAllRiskAndRecord } from "./recompute-risk";
import { summarizeEvent } from "./timeline";

describe("recomputeAllRisk", () => {
  it("re-rates identities whose inputs changed with time alone, and only those", async () => {
    const { user } = await createTestUser();
    const day = 86_400_000;
    const make = (name: string) =>
      prisma.aiIdentity.create({
        data: {
          name,
          kind: "PLUGIN",
          purpose: "test",
          environment: "DEV",
          ownerId: user.id,
          expiresAt: new Date(Date.now() + 90 * day),
          nextReviewAt: new Date(Date.now() + 30 * day),
        },
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

describe("recomputeAllRiskAndRecord", () => {
  it("writes each re-rating with an audit event on the identity's timeline, and a summary of the sweep", async () => {
    const { user } = await createTestUser();
    const day = 86_400_000;
    const identity = await prisma.aiIdentity.create({
      data: {
        name: "sweep-me",
        kind: "PLUGIN",
        purpose: "test",
        environment: "DEV",
        ownerId: user.id,
        expiresAt: new Date(Date.now() + 90 * day),
        nextReviewAt: new Date(Date.now() - 5 * day),
      },
    });
    const events = await prisma.auditEvent.count();
    expect(await recomputeAllRiskAndRecord(prisma, systemActor)).toEqual({ changed: 1 });

    const rerated = await prisma.auditEvent.findFirstOrThrow({ where: { action: "risk.rerated", targetId: identity.id } });
    expect(rerated).toMatchObject({
      targetType: "identity",
      actorType: "SYSTEM",
      data: { from: "LOW", to: "MEDIUM", reasons: ["review overdue by 5 days"] },
    });
    expect(summarizeEvent(rerated.action, rerated.data, { users: new Map(), teams: new Map() })).toBe(
      "Risk re-rated low → medium as time passed: review overdue by 5 days",
    );
    const summary = await prisma.auditEvent.findFirstOrThrow({ where: { action: "risk.recomputed" }, orderBy: { seq: "desc" } });
    expect(summary.data).toEqual({ changed: 1 });
    expect(await prisma.auditEvent.count()).toBe(events + 2);

    // Nothing moved: only the summary, as evidence the sweep ran.
    expect(await recomputeAllRiskAndRecord(prisma, systemActor)).toEqual({ changed: 0 });
    expect(await prisma.auditEvent.count()).toBe(events + 3);
  });
});
