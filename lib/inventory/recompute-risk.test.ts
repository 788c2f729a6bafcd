import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createTestUser, systemActor } from "@/lib/testing/factories";
import { recomputeAllRisk, recomputeAllRiskAndRecord, recomputeRisk } from "./recompute-risk";
import { summarizeEvent } from "./timeline";

describe("recomputeRisk", () => {
  it("rates one identity from its grants, their systems and its credentials, and stores the rating", async () => {
    const { user } = await createTestUser();
    const day = 86_400_000;
    const now = new Date();
    const ago = (days: number) => new Date(now.getTime() - days * day);
    const identity = await prisma.aiIdentity.create({
      data: {
        name: "one-statement",
        kind: "CODING_AGENT",
        purpose: "test",
        environment: "DEV",
        autonomy: "EXECUTE",
        ownerId: user.id,
        expiresAt: new Date(now.getTime() + 90 * day),
        nextReviewAt: new Date(now.getTime() + 30 * day),
      },
    });
    const system = (name: string, environment: "DEV" | "PROD", sensitivity: "INTERNAL" | "CONFIDENTIAL" | "RESTRICTED") =>
      prisma.system.create({ data: { name, kind: "REPOSITORY", environment, sensitivity } });
    const [prod, vault, repo] = await Promise.all([
      system("rr-payments", "PROD", "CONFIDENTIAL"),
      system("rr-vault", "PROD", "RESTRICTED"),
      system("rr-repo", "DEV", "INTERNAL"),
    ]);
    await prisma.grant.createMany({
      data: [
        { identityId: identity.id, systemId: prod.id, permission: "DEPLOY", mode: "JUST_IN_TIME" },
        // Neither counts: one is revoked, the other expired.
        { identityId: identity.id, systemId: vault.id, permission: "ADMIN", revokedAt: ago(1) },
        { identityId: identity.id, systemId: vault.id, permission: "WRITE", expiresAt: ago(2) },
        { identityId: identity.id, systemId: repo.id, permission: "WRITE", expiresAt: new Date(now.getTime() + day) },
      ],
    });
    await prisma.credential.createMany({
      data: [
        { identityId: identity.id, type: "PAT", label: "ci", fingerprint: "f1", issuedAt: ago(120), lastUsedAt: ago(100) },
        {
          identityId: identity.id,
          type: "API_KEY",
          label: "k",
          fingerprint: "f2",
          issuedAt: ago(10),
          expiresAt: ago(-20),
          rotationPeriodDays: 5,
        },
        { identityId: identity.id, type: "SSH_KEY", label: "old", fingerprint: "f3", status: "REVOKED", issuedAt: ago(400) },
      ],
    });

    const result = await prisma.$transaction((tx) => recomputeRisk(tx, identity.id, now));

    expect(result).toEqual({
      tier: "CRITICAL",
      reasons: [
        "deploy on rr-payments (production, confidential) (just-in-time)",
        "write on rr-repo (internal)",
        "executes changes itself (autonomy: execute)",
        "dev identity reaches production system rr-payments",
        "long-lived PAT 120 days old, no expiry",
        "PAT unused for 100 days",
        "API key not rotated for 10 days (period 5)",
      ],
    });
    const stored = await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } });
    expect({ tier: stored.riskTier, reasons: stored.riskReasons }).toEqual(result);
  });
});

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
