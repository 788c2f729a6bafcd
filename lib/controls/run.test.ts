import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { executeMutation } from "@/lib/auth/mutation";
import { decideApprovalRequest } from "@/lib/approvals/decide";
import { SentForApproval } from "@/lib/approvals/request";
import { findJob } from "@/lib/jobs/registry";
import { jobActor, runJob } from "@/lib/jobs/job";
import { createTestUser, refused, systemActor } from "@/lib/testing/factories";
import { newId } from "@/lib/db/ids";
import { DAY_MS } from "@/lib/time";
import { CONTROLS } from "./library";
import { addControlException, mapControl, revokeControlException } from "./exceptions";
import { exceptionKey, resultOf, runControls } from "./run";
import { frameworkPassRates } from "./queries";

// A run of the controls as the daily job and a security lead make it: every
// control's result is kept with its failing objects; a control that starts
// failing notifies the security leads once; an exception, approved by a second
// lead, turns a failing object into an excepted one from the next run on.

let lead: Awaited<ReturnType<typeof createTestUser>>;
let secondLead: Awaited<ReturnType<typeof createTestUser>>;
let member: Awaited<ReturnType<typeof createTestUser>>;
let owner: Awaited<ReturnType<typeof createTestUser>>;

beforeAll(async () => {
  lead = await createTestUser(["SECURITY_LEAD"]);
  secondLead = await createTestUser(["SECURITY_LEAD"]);
  member = await createTestUser();
  owner = await createTestUser();
});

async function unownedIdentity() {
  // No team and no backup owner: identity.owner fails it.
  return prisma.aiIdentity.create({
    data: {
      name: `agent-${newId()}`,
      kind: "CI_BOT",
      purpose: "Builds and tests the payments service",
      environment: "PROD",
      status: "ACTIVE",
      ownerId: owner.user.id,
      expiresAt: new Date(Date.now() + 60 * DAY_MS),
      nextReviewAt: new Date(Date.now() + 30 * DAY_MS),
    },
  });
}

async function latestResult(controlKey: string) {
  return prisma.controlResult.findFirstOrThrow({
    where: { controlKey },
    orderBy: { createdAt: "desc" },
    include: { failures: true },
  });
}

describe("the built-in mappings", () => {
  it("name requirements that exist, and keep the guidance's labels as aliases of official items", async () => {
    const ids = [...new Set(CONTROLS.flatMap((control) => control.mappings.map((mapping) => mapping.requirementId)))];
    const found = await prisma.requirement.findMany({ where: { id: { in: ids } }, select: { id: true } });
    expect(ids.filter((id) => !found.some((row) => row.id === id))).toEqual([]);
    const aliases = CONTROLS.flatMap((control) =>
      control.mappings.filter((mapping) => mapping.alias).map((mapping) => [control.key, mapping.requirementId, mapping.alias]),
    );
    expect(aliases).toEqual(
      expect.arrayContaining([
        ["runtime.policy-in-force", "owasp-agentic-top10-2026:ASI02", "A2"],
        ["identity.owner", "csa-maestro:L6", "GOV-01"],
      ]),
    );
    expect(CONTROLS.find((control) => control.key === "identity.owner")!.mappings).toContainEqual({
      requirementId: "nist-ai-rmf-1.0:GOVERN",
    });
    // Every control maps to requirements in several frameworks.
    for (const control of CONTROLS) {
      const frameworks = new Set(control.mappings.map((mapping) => mapping.requirementId.split(":")[0]));
      expect(frameworks.size, control.key).toBeGreaterThanOrEqual(3);
    }
  });
});

describe("a run", () => {
  it("is refused to members, and keeps every control's result with its failing objects", async () => {
    expect((await refused(executeMutation(runControls, member.actor, {}))).code).toBe("forbidden");
    const identity = await unownedIdentity();
    const summary = await executeMutation(runControls, lead.actor, {});
    expect(summary.passed + summary.failed + summary.notApplicable).toBe(CONTROLS.length);
    const run = await prisma.controlRun.findUniqueOrThrow({ where: { id: summary.runId }, include: { results: true } });
    expect(run).toMatchObject({ trigger: "on_demand", requestedById: lead.user.id });
    expect(run.results.map((result) => result.controlKey).sort()).toEqual(CONTROLS.map((control) => control.key).sort());
    const owned = await latestResult("identity.owner");
    expect(owned).toMatchObject({
      status: "FAIL",
      failed: 1,
      excepted: 0,
      measure: expect.stringMatching(/^\d+ of \d+ identities in service pass \(1 failing\)$/),
    });
    expect(owned.failures).toEqual([
      expect.objectContaining({ objectType: "identity", objectId: identity.id, ownerId: owner.user.id, excepted: false }),
    ]);
    // Nothing has reached the runtime API here: not applicable, with the reason, never a pass.
    expect(await latestResult("runtime.policy-in-force")).toMatchObject({
      status: "NOT_APPLICABLE",
      reason: expect.stringMatching(/no active identity reported/),
    });
    expect(await prisma.auditEvent.findFirst({ where: { action: "controls.run", targetId: summary.runId } })).toMatchObject({
      actorId: lead.user.id,
      data: expect.objectContaining({ failed: summary.failed, trigger: "on_demand" }),
    });
  });

  it("notifies the security leads when a control starts failing, and not again while it keeps failing", async () => {
    const before = await prisma.notificationMessage.count({ where: { event: "control.failing" } });
    expect(before).toBeGreaterThan(0);
    const leadMessage = await prisma.notificationMessage.findFirstOrThrow({
      where: { event: "control.failing", recipient: lead.user.email, subject: { contains: "accountable owner" } },
    });
    expect(leadMessage).toMatchObject({
      link: "/controls/identity.owner",
      body: expect.stringMatching(/started failing[\s\S]*no backup owner and no team/),
    });
    expect(await prisma.notificationMessage.count({ where: { event: "control.failing", recipient: member.user.email } })).toBe(0);

    const summary = await runJob(findJob("controls.run")!, prisma, jobActor(findJob("controls.run")!));
    expect(summary).toMatch(/^controls run \S+: \d+ pass, \d+ fail, \d+ not applicable$/);
    expect(await prisma.notificationMessage.count({ where: { event: "control.failing" } })).toBe(before);
    const scheduled = await prisma.controlRun.findFirstOrThrow({ orderBy: { startedAt: "desc" } });
    expect(scheduled).toMatchObject({ trigger: "schedule", requestedById: null });
  });
});

describe("exceptions", () => {
  it("wait for a second security lead, then count the object as excepted, not failing; revoking ends that", async () => {
    await executeMutation(runControls, lead.actor, {});
    const [failure] = (await latestResult("identity.owner")).failures;
    const input = {
      controlKey: "identity.owner",
      objectType: failure!.objectType,
      objectId: failure!.objectId,
      reason: "Being handed to the platform team this sprint",
      expiresAt: new Date(Date.now() + 14 * DAY_MS).toISOString(),
    };
    expect((await refused(executeMutation(addControlException, member.actor, input))).code).toBe("forbidden");
    const tooLong = await refused(
      executeMutation(addControlException, systemActor, { ...input, expiresAt: new Date(Date.now() + 400 * DAY_MS).toISOString() }),
    );
    expect(tooLong.fields).toEqual({ expiresAt: "must be at most 365 days ahead" });
    const notFailing = await refused(executeMutation(addControlException, systemActor, { ...input, objectId: "nothing" }));
    expect(notFailing.fields).toEqual({ objectId: "must be an object the control's latest run found failing" });

    let requestId = "";
    try {
      await executeMutation(addControlException, lead.actor, { ...input, justification: input.reason });
      throw new Error("the exception was not sent for approval");
    } catch (error) {
      if (!(error instanceof SentForApproval)) throw error;
      requestId = error.request.id;
    }
    expect(await prisma.controlException.count()).toBe(0);
    await executeMutation(decideApprovalRequest, secondLead.actor, { requestId, verdict: "APPROVE", comment: "ok for two weeks" });
    const exception = await prisma.controlException.findFirstOrThrow();
    expect(exception).toMatchObject({ createdById: lead.user.id, reason: input.reason, revokedAt: null });

    await executeMutation(runControls, lead.actor, {});
    const excepted = await latestResult("identity.owner");
    expect(excepted).toMatchObject({ status: "PASS", failed: 0, excepted: 1, measure: expect.stringMatching(/pass \(1 excepted\)$/) });
    expect(excepted.failures).toEqual([expect.objectContaining({ objectId: failure!.objectId, excepted: true })]);
    // The passing count leaves the excepted object out.
    expect(excepted.measure).toBe(`${excepted.total! - 1} of ${excepted.total} identities in service pass (1 excepted)`);

    await executeMutation(revokeControlException, lead.actor, { exceptionId: exception.id });
    await executeMutation(runControls, lead.actor, {});
    expect(await latestResult("identity.owner")).toMatchObject({ status: "FAIL", failed: 1, excepted: 0 });
    expect(await prisma.auditEvent.count({ where: { action: { in: ["control.exception_added", "control.exception_revoked"] } } })).toBe(2);
  });
});

describe("a security lead's own mapping", () => {
  it("maps a control to a requirement of their framework, once, with an alias", async () => {
    await prisma.framework.create({ data: { id: "acme", name: "ACME", version: "1", builtIn: false } });
    await prisma.requirement.create({ data: { id: "acme:AI-3", frameworkId: "acme", code: "AI-3", title: "Owners", position: 0 } });
    const input = { controlKey: "identity.owner", requirementId: "acme:AI-3", alias: "OWN-1" };
    expect((await refused(executeMutation(mapControl, member.actor, input))).code).toBe("forbidden");
    expect((await refused(executeMutation(mapControl, lead.actor, { ...input, requirementId: "acme:nope" }))).fields).toEqual({
      requirementId: "must be an existing requirement",
    });
    await executeMutation(mapControl, lead.actor, input);
    expect(await prisma.controlMapping.findFirst({ where: { controlKey: "identity.owner" } })).toMatchObject({
      requirementId: "acme:AI-3",
      alias: "OWN-1",
    });
    expect((await refused(executeMutation(mapControl, lead.actor, input))).code).toBe("conflict");
    expect(
      (await refused(executeMutation(mapControl, lead.actor, { controlKey: "identity.owner", requirementId: "csa-maestro:L6" }))).code,
    ).toBe("conflict");
  });
});

describe("pass rate per framework", () => {
  it("counts a requirement failing when one of its applicable controls fails, run by run", async () => {
    const rates = await frameworkPassRates(prisma);
    const runs = await prisma.controlRun.count();
    const maestro = rates.find((rate) => rate.frameworkId === "csa-maestro")!;
    expect(maestro.trend).toHaveLength(Math.min(runs, 30));
    // identity.owner fails (its one failing object is no longer excepted), so L6 ("GOV-01") fails with it.
    expect(maestro.assessed).toBeGreaterThan(0);
    expect(maestro.passing).toBeLessThan(maestro.assessed);
    expect(maestro.percent).toBe(Math.round((maestro.passing / maestro.assessed) * 1000) / 10);
    // The lead's own framework counts through their mapping: AI-3 is identity.owner's, which fails.
    expect(rates.find((rate) => rate.frameworkId === "acme")).toMatchObject({ assessed: 1, passing: 0, percent: 0 });
  });
});

describe("a result", () => {
  const control = CONTROLS.find((candidate) => candidate.key === "identity.owner")!;

  it("is not applicable when there is nothing to look at, never a pass on nothing", () => {
    expect(resultOf(control, { applicable: true, total: 0, unit: "identities in service", failures: [] }, new Set())).toMatchObject({
      status: "NOT_APPLICABLE",
      reason: "there are no identities in service to check",
    });
    expect(resultOf(control, { applicable: false, reason: "no data yet" }, new Set())).toMatchObject({
      status: "NOT_APPLICABLE",
      reason: "no data yet",
    });
  });

  it("passes when nothing fails, fails with the count otherwise, and counts excepted objects apart", () => {
    const failure = { objectType: "identity" as const, objectId: "a", label: "a (PROD)", detail: "x", ownerId: null };
    const outcome = {
      applicable: true as const,
      total: 4,
      unit: "identities in service",
      failures: [failure, { ...failure, objectId: "b" }],
    };
    expect(resultOf(control, { ...outcome, failures: [] }, new Set())).toMatchObject({
      status: "PASS",
      measure: "4 of 4 identities in service pass",
    });
    expect(resultOf(control, outcome, new Set())).toMatchObject({
      status: "FAIL",
      failed: 2,
      measure: "2 of 4 identities in service pass (2 failing)",
    });
    expect(resultOf(control, outcome, new Set([exceptionKey(control.key, failure)]))).toMatchObject({
      status: "FAIL",
      failed: 1,
      excepted: 1,
      measure: "2 of 4 identities in service pass (1 failing, 1 excepted)",
    });
  });
});
