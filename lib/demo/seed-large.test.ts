import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { verifyAuditChain } from "@/lib/audit/verify";
import { openDueReviews } from "@/lib/reviews/due";
import { systemActor } from "@/lib/testing/factories";
import { partiesOf } from "@/lib/approvals/parties";
import { countWaitingFor } from "@/lib/approvals/queries";
import { currentLevel, levelFor } from "@/lib/approvals/rules";
import { seedLargeInventory } from "./seed-large";

// The same generator as `npm run seed:large`, at a size a test can afford.
const SMALL = { teams: 3, owners: 40, systems: 60, identities: 300, grantsPerIdentity: 4, credentialsPerIdentity: 3 };
const SMALL_APPROVALS = { requests: 1000, pending: 200, leads: 3 };

describe("seedLargeInventory", () => {
  it("loads the requested shape once, with every identity rated by the risk rule", async () => {
    expect(await seedLargeInventory(prisma, () => undefined, SMALL, prisma, SMALL_APPROVALS)).toBe(true);
    expect(await prisma.aiIdentity.count()).toBe(SMALL.identities);
    expect(await prisma.grant.count()).toBe(SMALL.identities * SMALL.grantsPerIdentity);
    expect(await prisma.credential.count()).toBe(SMALL.identities * SMALL.credentialsPerIdentity);
    expect(await prisma.system.count()).toBe(SMALL.systems);
    expect(await prisma.user.count()).toBe(SMALL.owners + SMALL_APPROVALS.leads);

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

    expect(await seedLargeInventory(prisma, () => undefined, SMALL, prisma, SMALL_APPROVALS)).toBe(false);
    expect(await prisma.aiIdentity.count()).toBe(SMALL.identities);
    expect((await verifyAuditChain(prisma)).ok).toBe(true);
  });

  it("loads approval requests whose stored level agrees with their decisions, waiting for security leads and system owners", async () => {
    // The inventory is loaded by the test above; the approvals come with it.
    expect(await prisma.approvalRequest.count()).toBe(SMALL_APPROVALS.requests);
    const statuses = await prisma.approvalRequest.groupBy({ by: ["status"], _count: { _all: true } });
    expect(Object.fromEntries(statuses.map((row) => [row.status, row._count._all]))).toMatchObject({ PENDING: SMALL_APPROVALS.pending });
    expect(statuses.length).toBe(6);

    const pending = await prisma.approvalRequest.findMany({
      where: { status: "PENDING" },
      select: {
        id: true,
        requesterId: true,
        levels: true,
        waitingLevel: true,
        waitingFor: true,
        identity: { select: { ownerId: true, backupOwnerId: true } },
        system: { select: { ownerId: true, backupOwnerId: true } },
        decisions: { select: { level: true, deciderId: true, verdict: true } },
      },
    });
    const inactiveUserIds = (await prisma.user.findMany({ where: { active: false }, select: { id: true } })).map((user) => user.id);
    const partiesNow = (request: (typeof pending)[number]) => partiesOf({ ...request, inactiveUserIds });
    for (const request of pending) expect(request.waitingLevel, request.id).toBe(currentLevel(partiesNow(request)));
    const waitingFor = new Set(pending.map((request) => request.waitingFor));
    expect(waitingFor).toEqual(new Set(["role:SECURITY_LEAD", "system_owner"]));
    // Decisions a person could have made: nobody decided their own request or one level twice.
    const decisions = await prisma.approvalDecision.findMany({ include: { request: { select: { requesterId: true } } } });
    expect(decisions.length).toBeGreaterThan(SMALL_APPROVALS.requests / 2);
    expect(decisions.filter((decision) => decision.deciderId === decision.request.requesterId)).toEqual([]);

    // Changes are asked for identities in service, and some grants wait for security leads at their last level
    // (a system nobody else owns): the bench applies those.
    expect(await prisma.approvalRequest.count({ where: { status: "PENDING", identity: { status: { in: ["RETIRED", "EXPIRED"] } } } })).toBe(
      0,
    );
    const lastLevelGrants = await prisma.$queryRaw<{ count: number }[]>`
      SELECT count(*)::int AS count FROM "ApprovalRequest"
      WHERE "waitingFor" = 'role:SECURITY_LEAD' AND "mutation" = 'grants.create' AND "waitingLevel" = jsonb_array_length("levels") - 1`;
    expect(lastLevelGrants[0]!.count).toBeGreaterThan(0);

    // A security lead of the seed sees what levelFor says waits for them.
    const lead = await prisma.user.findUniqueOrThrow({ where: { id: "scale-lead-1" } });
    const expected = pending.filter((request) => "level" in levelFor({ userId: lead.id, roles: lead.roles }, partiesNow(request)));
    expect(expected.length).toBeGreaterThan(0);
    expect(await countWaitingFor(prisma, { kind: "user", userId: lead.id, label: lead.email, roles: lead.roles })).toBe(expected.length);
  });
});
