import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { bulkUpdateIdentities } from "@/lib/inventory/bulk";
import { createCredential } from "@/lib/inventory/credentials";
import { createGrant } from "@/lib/inventory/grants";
import { createIdentity, reactivateIdentity, retireIdentity, suspendIdentity } from "@/lib/inventory/identities";
import { recomputeRisk } from "@/lib/inventory/recompute-risk";
import { createSystem } from "@/lib/inventory/systems";
import { createTestUser, systemActor, refused, switchOffApprovals } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";
import { openDueReviews, openDueReviewsBatch, REVIEW_NOTICE_DAYS } from "./due";
import { REVIEW_GRACE_DAYS, suspendOverdueIdentities, suspendOverdueIdentitiesBatch } from "./overdue";
import { findReviewTasks, openReviewsOwedBySql, overdueReviews, overdueReviewsSql } from "./queries";
import { attestReview, openReview } from "./reviews";

// Reviews end to end against a real database, through executeMutation as the
// forms, the API and the scheduler call them.

const inDays = (days: number) => new Date(Date.now() + days * DAY_MS);

/** What a refused change must leave exactly as it was. */
async function snapshot() {
  const [reviews, liveGrants, identities, auditEvents] = await Promise.all([
    prisma.review.findMany({ orderBy: { id: "asc" } }),
    prisma.grant.count({ where: { revokedAt: null } }),
    prisma.aiIdentity.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true, nextReviewAt: true, riskTier: true } }),
    prisma.auditEvent.count(),
  ]);
  return { reviews, liveGrants, identities, auditEvents };
}

type Person = { user: { id: string; email: string }; actor: Actor };
let owner: Person;
let backup: Person;
let colleague: Person;
let lead: Person;
let repoId: string;
let deployTargetId: string;
let counter = 0;

async function registerIdentity(overrides: Record<string, unknown> = {}) {
  counter += 1;
  return executeMutation(createIdentity, owner.actor, {
    name: `reviewed-agent-${counter}`,
    kind: "CODING_AGENT",
    purpose: "Opens dependency update pull requests",
    environment: "DEV",
    ownerId: owner.user.id,
    backupOwnerId: backup.user.id,
    expiresAt: inDays(200).toISOString(),
    reviewCadenceDays: 90,
    ...overrides,
  });
}

const attestation = (reviewId: string, overrides: Record<string, unknown> = {}) => ({
  reviewId,
  stillNeeded: "yes",
  purposeUnchanged: "yes",
  permissionsMinimal: "yes",
  credentialsRotated: "yes",
  outcome: "KEEP",
  ...overrides,
});

beforeAll(async () => {
  // What these changes do, not who approves them: lib/approvals/approvals.test.ts covers that.
  await switchOffApprovals();
  owner = await createTestUser([]);
  backup = await createTestUser([]);
  colleague = await createTestUser([]);
  lead = await createTestUser(["SECURITY_LEAD"]);
  repoId = (
    await executeMutation(createSystem, lead.actor, {
      name: "reviews-repo",
      kind: "REPOSITORY",
      environment: "DEV",
      sensitivity: "INTERNAL",
    })
  ).id;
  deployTargetId = (
    await executeMutation(createSystem, lead.actor, {
      name: "reviews-deploy",
      kind: "DEPLOY_TARGET",
      environment: "DEV",
      sensitivity: "CONFIDENTIAL",
    })
  ).id;
});

describe("opening a review", () => {
  it("opens one for the owner, pulls the next review date forward to its due date and audits it; a second is refused", async () => {
    const identity = await registerIdentity();
    const due = inDays(10);
    const review = await executeMutation(openReview, lead.actor, {
      identityId: identity.id,
      dueAt: due.toISOString(),
      reason: "quarterly access review",
    });
    expect(review).toMatchObject({ status: "OPEN", trigger: "MANUAL", openedById: lead.user.id, reason: "quarterly access review" });
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } })).nextReviewAt.toISOString()).toBe(due.toISOString());
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "review.opened", targetId: identity.id } });
    expect(event.data).toMatchObject({ reviewId: review.id, trigger: "MANUAL", reason: "quarterly access review" });

    const before = await snapshot();
    const again = await refused(() => executeMutation(openReview, lead.actor, { identityId: identity.id }));
    expect(again.code).toBe("conflict");
    expect(again.message).toMatch(/already has an open review/);
    expect(await snapshot()).toEqual(before);
  });

  it("opens exactly one when several people open one at the same moment", async () => {
    const identity = await registerIdentity();
    const results = await Promise.allSettled(
      [lead, owner, backup, lead, owner].map((who) => executeMutation(openReview, who.actor, { identityId: identity.id })),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    for (const result of results.filter((result) => result.status === "rejected")) {
      expect((result as PromiseRejectedResult).reason).toMatchObject({ code: "conflict" });
    }
    expect(await prisma.review.count({ where: { identityId: identity.id, status: "OPEN" } })).toBe(1);
    expect(await prisma.auditEvent.count({ where: { action: "review.opened", targetId: identity.id } })).toBe(1);
  });

  it("lets the owner open one, refuses a colleague, and names a bad due date", async () => {
    const identity = await registerIdentity();
    const before = await snapshot();
    expect((await refused(() => executeMutation(openReview, colleague.actor, { identityId: identity.id }))).code).toBe("forbidden");
    const past = await refused(() =>
      executeMutation(openReview, owner.actor, { identityId: identity.id, dueAt: inDays(-1).toISOString() }),
    );
    expect(past.fields).toEqual({ dueAt: "must be in the future" });
    const far = await refused(() =>
      executeMutation(openReview, owner.actor, { identityId: identity.id, dueAt: inDays(200).toISOString() }),
    );
    expect(far.fields).toEqual({ dueAt: "must be within 90 days" });
    expect(await snapshot()).toEqual(before);

    const review = await executeMutation(openReview, owner.actor, { identityId: identity.id });
    // Without a due date the owner gets two weeks.
    expect(Math.round((review.dueAt.getTime() - Date.now()) / DAY_MS)).toBe(14);
  });

  it("is refused for an identity no longer in service, and retiring closes an open one", async () => {
    const identity = await registerIdentity();
    const review = await executeMutation(openReview, lead.actor, { identityId: identity.id });
    await executeMutation(retireIdentity, owner.actor, { identityId: identity.id, reason: "replaced" });
    expect(await prisma.review.findUniqueOrThrow({ where: { id: review.id } })).toMatchObject({
      status: "CANCELLED",
      closedAt: expect.any(Date),
    });
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "identity.retired", targetId: identity.id } });
    expect(event.data).toMatchObject({ reviewsCancelled: 1 });

    const refusal = await refused(() => executeMutation(openReview, lead.actor, { identityId: identity.id }));
    expect(refusal.code).toBe("conflict");
    expect(refusal.message).toMatch(/retired; only identities in service are reviewed/);
  });
});

describe("attesting a review", () => {
  it("keep: the owner attests, the review completes, the next review is one cadence away and an overdue rating clears", async () => {
    const identity = await registerIdentity({ reviewCadenceDays: 30 });
    // The review date passed without anyone attesting: the risk rule escalates it.
    await prisma.aiIdentity.update({ where: { id: identity.id }, data: { nextReviewAt: inDays(-5) } });
    await prisma.$transaction((tx) => recomputeRisk(tx, identity.id));
    const overdue = await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } });
    expect(overdue.riskReasons).toContain("review overdue by 5 days");

    const review = await executeMutation(openReview, lead.actor, { identityId: identity.id });
    const attested = await executeMutation(attestReview, owner.actor, attestation(review.id, { comment: "still used daily" }));
    expect(attested).toMatchObject({
      status: "COMPLETED",
      outcome: "KEEP",
      attestedById: owner.user.id,
      stillNeeded: true,
      comment: "still used daily",
    });

    const after = await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } });
    expect(Math.round((after.nextReviewAt.getTime() - Date.now()) / DAY_MS)).toBe(30);
    expect(after.riskReasons).not.toContain("review overdue by 5 days");
    expect(after.status).toBe("ACTIVE");
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "review.attested", targetId: identity.id } });
    expect(event.data).toMatchObject({ reviewId: review.id, outcome: "KEEP", stillNeeded: true, comment: "still used daily" });
  });

  it("only the owner or backup owner attests: a security lead and a colleague are refused; the backup owner may", async () => {
    const identity = await registerIdentity();
    const review = await executeMutation(openReview, lead.actor, { identityId: identity.id });
    const before = await snapshot();
    for (const who of [lead, colleague]) {
      const refusal = await refused(() => executeMutation(attestReview, who.actor, attestation(review.id)));
      expect(refusal.code).toBe("forbidden");
      expect(refusal.message).toMatch(/only its owner or backup owner may/);
    }
    expect(await snapshot()).toEqual(before);
    await executeMutation(attestReview, backup.actor, attestation(review.id));
    expect(await prisma.review.findUniqueOrThrow({ where: { id: review.id } })).toMatchObject({
      status: "COMPLETED",
      attestedById: backup.user.id,
    });

    const twice = await refused(() => executeMutation(attestReview, owner.actor, attestation(review.id)));
    expect(twice.code).toBe("conflict");
    expect(twice.message).toMatch(/already completed/);
  });

  it("refuses answers that disagree with the outcome, naming each field, and changes nothing", async () => {
    const identity = await registerIdentity();
    const review = await executeMutation(openReview, lead.actor, { identityId: identity.id });
    const before = await snapshot();
    const cases: [Record<string, unknown>, Record<string, string>][] = [
      [{ stillNeeded: "no", outcome: "KEEP", comment: "x" }, { outcome: "must be RETIRE when the identity is no longer needed" }],
      [
        { permissionsMinimal: "no", outcome: "KEEP", comment: "x" },
        { outcome: "must be REDUCE or RETIRE when its access is more than it needs" },
      ],
      [{ outcome: "REDUCE", comment: "x" }, { grantIds: "choose at least one grant to end" }],
      [{ credentialsRotated: "no" }, { comment: "is required when an answer is no or the outcome is not KEEP" }],
      [
        { stillNeeded: "maybe", outcome: "ARCHIVE" },
        { stillNeeded: "answer yes or no", outcome: "must be one of KEEP, REDUCE, RETIRE" },
      ],
    ];
    for (const [overrides, fields] of cases) {
      const refusal = await refused(() => executeMutation(attestReview, owner.actor, attestation(review.id, overrides)));
      expect(refusal.code, JSON.stringify(overrides)).toBe("validation_failed");
      expect(refusal.fields, JSON.stringify(overrides)).toEqual(fields);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("reduce: ends exactly the grants named, in the same transaction, and refuses another identity's grant whole", async () => {
    const identity = await registerIdentity();
    const read = await executeMutation(createGrant, owner.actor, { identityId: identity.id, systemId: repoId, permission: "READ" });
    const write = await executeMutation(createGrant, owner.actor, { identityId: identity.id, systemId: repoId, permission: "WRITE" });
    const deploy = await executeMutation(createGrant, owner.actor, {
      identityId: identity.id,
      systemId: deployTargetId,
      permission: "DEPLOY",
    });
    const otherIdentity = await registerIdentity();
    const foreign = await executeMutation(createGrant, owner.actor, { identityId: otherIdentity.id, systemId: repoId, permission: "READ" });
    // The write grant opened a re-review and the deploy grant joined it (lib/reviews/change.ts): that is the one attested here.
    const review = await prisma.review.findFirstOrThrow({ where: { identityId: identity.id, status: "OPEN" } });
    expect(review).toMatchObject({ trigger: "CHANGE", changes: [{ field: "grant" }, { field: "grant" }] });

    const before = await snapshot();
    const refusal = await refused(() =>
      executeMutation(
        attestReview,
        owner.actor,
        attestation(review.id, { permissionsMinimal: "no", outcome: "REDUCE", grantIds: [write.id, foreign.id], comment: "drop write" }),
      ),
    );
    expect(refusal.fields).toEqual({ grantIds: `${foreign.id} is not a grant of this identity` });
    expect(await snapshot()).toEqual(before);

    await executeMutation(
      attestReview,
      owner.actor,
      attestation(review.id, { permissionsMinimal: "no", outcome: "REDUCE", grantIds: [write.id, deploy.id], comment: "only reads now" }),
    );
    const grants = await prisma.grant.findMany({ where: { identityId: identity.id } });
    expect(Object.fromEntries(grants.map((grant) => [grant.id, grant.revokedAt !== null]))).toEqual({
      [read.id]: false,
      [write.id]: true,
      [deploy.id]: true,
    });
    const events = await prisma.auditEvent.findMany({ where: { targetId: identity.id }, orderBy: { seq: "desc" }, take: 3 });
    expect(events.map((event) => event.action).sort()).toEqual(["grant.revoked", "grant.revoked", "review.attested"]);
    expect(await prisma.review.findUniqueOrThrow({ where: { id: review.id } })).toMatchObject({ status: "COMPLETED", outcome: "REDUCE" });
  });

  it("retire: the identity is retired, its grants and credentials end, and the review is completed (not cancelled)", async () => {
    const identity = await registerIdentity();
    await executeMutation(createGrant, owner.actor, { identityId: identity.id, systemId: repoId, permission: "READ" });
    await executeMutation(createCredential, owner.actor, {
      identityId: identity.id,
      type: "API_KEY",
      label: "key",
      fingerprint: "kid-review",
      issuedAt: inDays(-3).toISOString(),
    });
    const review = await executeMutation(openReview, lead.actor, { identityId: identity.id });
    await executeMutation(
      attestReview,
      owner.actor,
      attestation(review.id, { stillNeeded: "no", outcome: "RETIRE", comment: "project ended" }),
    );

    expect(await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } })).toMatchObject({ status: "RETIRED" });
    expect(await prisma.grant.count({ where: { identityId: identity.id, revokedAt: null } })).toBe(0);
    expect(await prisma.credential.count({ where: { identityId: identity.id, status: "ACTIVE" } })).toBe(0);
    expect(await prisma.review.findUniqueOrThrow({ where: { id: review.id } })).toMatchObject({
      status: "COMPLETED",
      outcome: "RETIRE",
      comment: "project ended",
    });
  });
});

describe("the bulk action 'open a review'", () => {
  it("opens one per selected identity, counts those already open as unchanged, and is all or nothing", async () => {
    const first = await registerIdentity();
    const second = await registerIdentity();
    await executeMutation(openReview, lead.actor, { identityId: second.id });
    const result = await executeMutation(bulkUpdateIdentities, lead.actor, {
      action: "open_review",
      identityIds: [first.id, second.id],
      reason: "campaign Q4",
    });
    expect(result).toEqual({ action: "open_review", changed: [first.name], unchanged: [second.name] });
    expect(await prisma.review.count({ where: { identityId: first.id, status: "OPEN", reason: "campaign Q4" } })).toBe(1);
    expect(await prisma.review.count({ where: { identityId: second.id, status: "OPEN" } })).toBe(1);

    // A member selecting an identity they do not own gets nothing opened at all.
    const mine = await registerIdentity();
    const theirs = await executeMutation(createIdentity, lead.actor, {
      name: `someone-elses-${counter}`,
      kind: "CI_BOT",
      purpose: "Builds",
      environment: "DEV",
      ownerId: colleague.user.id,
      expiresAt: inDays(100).toISOString(),
    });
    const before = await snapshot();
    const refusal = await refused(() =>
      executeMutation(bulkUpdateIdentities, owner.actor, { action: "open_review", identityIds: [mine.id, theirs.id] }),
    );
    expect(refusal.code).toBe("forbidden");
    expect(refusal.message).toMatch(/^Nothing was changed\./);
    expect(await snapshot()).toEqual(before);

    const badDue = await refused(() =>
      executeMutation(bulkUpdateIdentities, lead.actor, { action: "open_review", identityIds: [mine.id], dueAt: inDays(-2).toISOString() }),
    );
    expect(badDue.fields).toEqual({ dueAt: "must be in the future" });
  });
});

describe("overdue reviews past the grace period", () => {
  it("suspend the identity with the reason, once; the review stays open for the owner", async () => {
    const late = await registerIdentity();
    const withinGrace = await registerIdentity();
    const alreadySuspended = await registerIdentity();
    const lateReview = await executeMutation(openReview, lead.actor, { identityId: late.id });
    const graceReview = await executeMutation(openReview, lead.actor, { identityId: withinGrace.id });
    const suspendedReview = await executeMutation(openReview, lead.actor, { identityId: alreadySuspended.id });
    await executeMutation(suspendIdentity, owner.actor, { identityId: alreadySuspended.id, reason: "paused" });
    // Due dates pass without an attestation.
    await prisma.review.update({ where: { id: lateReview.id }, data: { dueAt: inDays(-(REVIEW_GRACE_DAYS + 1)) } });
    await prisma.review.update({ where: { id: graceReview.id }, data: { dueAt: inDays(-(REVIEW_GRACE_DAYS - 1)) } });
    await prisma.review.update({ where: { id: suspendedReview.id }, data: { dueAt: inDays(-(REVIEW_GRACE_DAYS + 5)) } });

    expect(await suspendOverdueIdentities(prisma, systemActor)).toBe(1);
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: late.id } })).status).toBe("SUSPENDED");
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: withinGrace.id } })).status).toBe("ACTIVE");
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "identity.suspended", targetId: late.id } });
    expect(event).toMatchObject({
      actorType: "SYSTEM",
      data: { from: "ACTIVE", to: "SUSPENDED", reason: expect.stringMatching(/^Review overdue by 15 days \(grace period 14 days\)/) },
    });
    expect((await prisma.review.findUniqueOrThrow({ where: { id: lateReview.id } })).status).toBe("OPEN");
    // The paused one was suspended by its owner and is left as it was.
    expect(await prisma.auditEvent.count({ where: { action: "identity.suspended", targetId: alreadySuspended.id } })).toBe(1);

    const events = await prisma.auditEvent.count();
    expect(await suspendOverdueIdentities(prisma, systemActor)).toBe(0);
    expect(await prisma.auditEvent.count()).toBe(events);
    expect((await refused(() => executeMutation(suspendOverdueIdentitiesBatch, lead.actor, { now: new Date(), limit: 10 }))).code).toBe(
      "forbidden",
    );

    // The owner can still attest; a security lead then reactivates.
    await executeMutation(attestReview, owner.actor, attestation(lateReview.id));
    await executeMutation(reactivateIdentity, lead.actor, { identityId: late.id });
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: late.id } })).status).toBe("ACTIVE");
  });
});

describe("the task lists of My tasks", () => {
  it("list the open reviews someone owes as owner or backup owner, soonest due first, with how many there are", async () => {
    // People of their own, so that the other tests' reviews stay out of these lists.
    const nameless = await createTestUser([]);
    await prisma.user.update({ where: { id: nameless.user.id }, data: { name: null } });
    const deputy = await createTestUser([]);
    const other = await createTestUser([]);
    const register = (ownerId: string, name: string) =>
      executeMutation(createIdentity, lead.actor, {
        name,
        kind: "CODING_AGENT",
        purpose: "Opens dependency update pull requests",
        environment: "DEV",
        ownerId,
        backupOwnerId: deputy.user.id,
        expiresAt: inDays(200).toISOString(),
        reviewCadenceDays: 90,
      });
    const later = await register(nameless.user.id, "owed-later");
    const sooner = await register(nameless.user.id, "owed-sooner");
    const attested = await register(nameless.user.id, "owed-attested");
    const notTheirs = await register(other.user.id, "owed-by-other");
    await executeMutation(openReview, lead.actor, { identityId: later.id, dueAt: inDays(20).toISOString(), reason: "new model" });
    const soonerReview = await executeMutation(openReview, lead.actor, { identityId: sooner.id, dueAt: inDays(5).toISOString() });
    const attestedReview = await executeMutation(openReview, lead.actor, { identityId: attested.id, dueAt: inDays(1).toISOString() });
    await executeMutation(openReview, lead.actor, { identityId: notTheirs.id, dueAt: inDays(2).toISOString() });
    await executeMutation(attestReview, deputy.actor, attestation(attestedReview.id));

    const owed = await findReviewTasks(prisma, openReviewsOwedBySql(nameless.user.id), 1);
    expect(owed.total).toBe(2);
    expect(owed.rows).toEqual([
      {
        id: soonerReview.id,
        identityId: sooner.id,
        identityName: "owed-sooner",
        environment: "DEV",
        riskTier: (await prisma.aiIdentity.findUniqueOrThrow({ where: { id: sooner.id } })).riskTier,
        // No name: the owner is shown by email.
        ownerLabel: nameless.user.email,
        dueAt: soonerReview.dueAt.toISOString(),
        trigger: "MANUAL",
        reason: null,
        orphanedAt: null,
      },
    ]);
    const backedUp = await findReviewTasks(prisma, openReviewsOwedBySql(deputy.user.id), 10);
    expect(backedUp.rows.map((row) => [row.identityName, row.reason])).toEqual([
      ["owed-by-other", null],
      ["owed-sooner", null],
      ["owed-later", "new model"],
    ]);
    expect(backedUp.total).toBe(3);
    expect(await findReviewTasks(prisma, openReviewsOwedBySql(lead.user.id), 10)).toEqual({ rows: [], total: 0 });
  });

  it("list the overdue reviews exactly as the API's overdue filter finds them", async () => {
    const identities = [await registerIdentity(), await registerIdentity(), await registerIdentity()];
    for (const [index, identity] of identities.entries()) {
      const review = await executeMutation(openReview, lead.actor, { identityId: identity.id });
      await prisma.review.update({ where: { id: review.id }, data: { dueAt: inDays(-1 - index) } });
    }
    // Attested late: past its due date, but no longer anyone's task.
    const attested = await registerIdentity();
    const attestedReview = await executeMutation(openReview, lead.actor, { identityId: attested.id });
    await prisma.review.update({ where: { id: attestedReview.id }, data: { dueAt: inDays(-3) } });
    await executeMutation(attestReview, owner.actor, attestation(attestedReview.id));
    const now = new Date();
    const expected = await prisma.review.findMany({
      where: overdueReviews(now),
      orderBy: [{ dueAt: "asc" }, { id: "asc" }],
      select: { id: true },
    });
    expect(expected.length).toBeGreaterThanOrEqual(3);
    const overdue = await findReviewTasks(prisma, overdueReviewsSql(now), 2);
    expect(overdue.total).toBe(expected.length);
    expect(overdue.rows.map((row) => row.id)).toEqual(expected.slice(0, 2).map((row) => row.id));
    const all = await findReviewTasks(prisma, overdueReviewsSql(now), 100);
    expect(all.rows.map((row) => row.id)).toEqual(expected.map((row) => row.id));
    expect(all.rows.filter((row) => identities.some((identity) => identity.id === row.identityId))).toHaveLength(3);
    expect(all.rows.map((row) => row.id)).not.toContain(attestedReview.id);
  });
});

describe("scheduled reviews", () => {
  it("open for identities in service whose review date is within the notice period, due on that date, once however often it runs", async () => {
    const soon = await registerIdentity();
    const overdue = await registerIdentity();
    const later = await registerIdentity();
    const retired = await registerIdentity();
    await prisma.aiIdentity.update({ where: { id: soon.id }, data: { nextReviewAt: inDays(REVIEW_NOTICE_DAYS - 2) } });
    await prisma.aiIdentity.update({ where: { id: overdue.id }, data: { nextReviewAt: inDays(-3) } });
    await prisma.aiIdentity.update({ where: { id: later.id }, data: { nextReviewAt: inDays(REVIEW_NOTICE_DAYS + 5) } });
    await prisma.aiIdentity.update({ where: { id: retired.id }, data: { nextReviewAt: inDays(-3), status: "RETIRED" } });
    const openBefore = await prisma.review.count({ where: { status: "OPEN" } });

    const opened = await openDueReviews(prisma, systemActor);
    const scheduled = await prisma.review.findMany({
      where: { trigger: "SCHEDULED", identityId: { in: [soon.id, overdue.id, later.id, retired.id] } },
    });
    expect(scheduled.map((review) => review.identityId).sort()).toEqual([soon.id, overdue.id].sort());
    for (const review of scheduled) {
      const identity = await prisma.aiIdentity.findUniqueOrThrow({ where: { id: review.identityId } });
      expect(review.dueAt.toISOString()).toBe(identity.nextReviewAt.toISOString());
    }
    // Every identity without an open review and due within the notice period got one (others in this file may be due too).
    expect(await prisma.review.count({ where: { status: "OPEN" } })).toBe(openBefore + opened);
    expect(await prisma.auditEvent.count({ where: { action: "review.opened", data: { path: ["trigger"], equals: "SCHEDULED" } } })).toBe(
      opened,
    );

    const eventsBefore = await prisma.auditEvent.count();
    expect(await openDueReviews(prisma, systemActor)).toBe(0);
    expect(await prisma.auditEvent.count()).toBe(eventsBefore);
  });

  it("are opened only by Warrant itself", async () => {
    const refusal = await refused(() => executeMutation(openDueReviewsBatch, lead.actor, { now: new Date(), limit: 10 }));
    expect(refusal.code).toBe("forbidden");
  });
});
