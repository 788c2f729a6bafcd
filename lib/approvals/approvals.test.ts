import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { createGrant } from "@/lib/inventory/grants";
import { createCredential, rotateCredential } from "@/lib/inventory/credentials";
import { createIdentity, reactivateIdentity, retireIdentity, suspendIdentity, updateIdentity } from "@/lib/inventory/identities";
import { importIdentities } from "@/lib/inventory/csv-import";
import { createSystem, updateSystem } from "@/lib/inventory/systems";
import { allMutations } from "@/lib/mutations";
import { runCli } from "@/lib/testing/cli";
import { createTestUser, refused, systemActor } from "@/lib/testing/factories";
import { createUser, deactivateUser, setUserRoles } from "@/lib/users/mutations";
import { DAY_MS } from "@/lib/time";
import { CATALOG } from "./catalog";
import { breakGlassApprovalRequest, decideApprovalRequest, expireDueRequests, withdrawApprovalRequest } from "./decide";
import { getApprovalRequest, listApprovalRequests } from "./queries";
import { SentForApproval } from "./request";
import { updateApprovalRule, updateCatalogEntry } from "./settings";

// Approvals end to end against a real database, through executeMutation as
// forms, the API and the CLI call it: a sensitive change becomes a request,
// the right people decide it level by level, and it is applied exactly once.

type Person = { user: { id: string; email: string }; actor: Actor };
let owner: Person;
let colleague: Person;
let lead: Person;
let secondLead: Person;
let systemOwner: Person;
let admin: Person;
let prodDeploy: { id: string; name: string };
let devRepo: { id: string; name: string };
let counter = 0;

const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();

async function registerIdentity(overrides: Record<string, unknown> = {}) {
  counter += 1;
  return executeMutation(createIdentity, systemActor, {
    name: `approval-agent-${counter}`,
    kind: "CODING_AGENT",
    purpose: "Ships release branches",
    environment: "PROD",
    autonomy: "SUGGEST",
    ownerId: owner.user.id,
    expiresAt: inDays(60),
    ...overrides,
  });
}

/** Runs a change expected to become a request; returns the stored request. */
async function sentForApproval(run: Promise<unknown>) {
  try {
    await run;
  } catch (error) {
    if (error instanceof SentForApproval) return prisma.approvalRequest.findUniqueOrThrow({ where: { id: error.request.id } });
    throw error;
  }
  throw new Error("the change was applied instead of being sent for approval");
}

async function deployGrantRequest(identityId: string, by: Person = owner) {
  return sentForApproval(
    executeMutation(createGrant, by.actor, {
      identityId,
      systemId: prodDeploy.id,
      permission: "DEPLOY",
      justification: "Release pipeline needs to deploy tagged builds",
    }),
  );
}

const decide = (person: Person, requestId: string, verdict: "APPROVE" | "REJECT" = "APPROVE", comment?: string) =>
  executeMutation(decideApprovalRequest, person.actor, { requestId, verdict, comment });

beforeAll(async () => {
  owner = await createTestUser();
  colleague = await createTestUser();
  lead = await createTestUser(["SECURITY_LEAD"]);
  secondLead = await createTestUser(["SECURITY_LEAD"]);
  systemOwner = await createTestUser();
  admin = await createTestUser(["ADMIN"]);
  prodDeploy = await executeMutation(createSystem, systemActor, {
    name: "payments-deploy",
    kind: "DEPLOY_TARGET",
    environment: "PROD",
    sensitivity: "CONFIDENTIAL",
    ownerId: systemOwner.user.id,
  });
  devRepo = await executeMutation(createSystem, systemActor, {
    name: "sandbox",
    kind: "REPOSITORY",
    environment: "DEV",
    sensitivity: "INTERNAL",
  });
});

describe("a sensitive change", () => {
  it("becomes a request with what would change, and changes nothing yet", async () => {
    const identity = await registerIdentity();
    const grantsBefore = await prisma.grant.count({ where: { identityId: identity.id } });
    const request = await deployGrantRequest(identity.id);

    expect(await prisma.grant.count({ where: { identityId: identity.id } })).toBe(grantsBefore);
    expect(request).toMatchObject({
      status: "PENDING",
      mutation: "grants.create",
      catalogKey: "grant.sensitive",
      requesterId: owner.user.id,
      identityId: identity.id,
      systemId: prodDeploy.id,
      justification: "Release pipeline needs to deploy tagged builds",
      summary: `Grant DEPLOY on payments-deploy (PROD) to ${identity.name}`,
      riskBefore: "LOW",
    });
    expect(request.reason).toContain("DEPLOY is a privileged permission");
    expect(request.reason).toContain("payments-deploy is a production system");
    // A deploy grant also opens a re-review (lib/reviews/change.ts): part of what would change.
    expect(request.changes).toEqual([
      expect.objectContaining({ action: "grant.created", targetId: identity.id }),
      expect.objectContaining({ action: "review.opened", targetId: identity.id, data: expect.objectContaining({ trigger: "CHANGE" }) }),
    ]);
    expect(request.riskAfter).not.toBe("LOW");
    expect(request.expiresAt.getTime() - request.createdAt.getTime()).toBe(72 * 3600_000);
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "approval.requested" }, orderBy: { seq: "desc" } });
    expect(event).toMatchObject({ targetType: "identity", targetId: identity.id, actorId: owner.user.id });
  });

  it("needs a justification: without one it is refused naming the field, and nothing is stored", async () => {
    const identity = await registerIdentity();
    const before = await prisma.approvalRequest.count();
    const error = await refused(
      executeMutation(createGrant, owner.actor, { identityId: identity.id, systemId: prodDeploy.id, permission: "WRITE" }),
    );
    expect(error.code).toBe("validation_failed");
    expect(error.fields?.justification).toMatch(/is required: this change needs approval/);
    expect(await prisma.approvalRequest.count()).toBe(before);
  });

  it("is validated as if applied: an invalid change is refused, not stored", async () => {
    const identity = await registerIdentity();
    await executeMutation(suspendIdentity, systemActor, { identityId: identity.id });
    await executeMutation(retireIdentity, systemActor, { identityId: identity.id });
    const before = await prisma.approvalRequest.count();
    const error = await refused(deployGrantRequest(identity.id));
    expect(error.code).toBe("conflict");
    expect(error.message).toMatch(/retired; it cannot be given access/);
    expect(await prisma.approvalRequest.count()).toBe(before);
  });

  it("is applied at once when it is not sensitive, and when Warrant itself makes it", async () => {
    const identity = await registerIdentity();
    await executeMutation(createGrant, owner.actor, { identityId: identity.id, systemId: devRepo.id, permission: "READ" });
    await executeMutation(createGrant, systemActor, { identityId: identity.id, systemId: prodDeploy.id, permission: "DEPLOY" });
    expect(await prisma.grant.count({ where: { identityId: identity.id, revokedAt: null } })).toBe(2);
  });

  it("blocks a second identical request while the first is pending", async () => {
    const identity = await registerIdentity();
    const first = await deployGrantRequest(identity.id);
    const error = await refused(deployGrantRequest(identity.id, lead));
    expect(error.code).toBe("conflict");
    expect(error.message).toContain(first.id);
  });
});

describe("deciding", () => {
  it("needs every level in order: a security lead, then the system's owner; the last approval applies the change once", async () => {
    const identity = await registerIdentity();
    const request = await deployGrantRequest(identity.id);

    // Level 2's approver cannot go first.
    expect((await refused(decide(systemOwner, request.id))).message).toMatch(/waits for level 1 \(Security lead\)/);
    expect(await decide(lead, request.id, "APPROVE", "Looks right")).toEqual({ id: request.id, status: "PENDING" });
    expect(await prisma.grant.count({ where: { identityId: identity.id } })).toBe(0);
    // A second security lead is not the system's owner.
    expect((await refused(decide(secondLead, request.id))).message).toMatch(/waits for level 2 \(System owner\)/);
    expect(await decide(systemOwner, request.id)).toEqual({ id: request.id, status: "APPLIED" });

    const grants = await prisma.grant.findMany({ where: { identityId: identity.id } });
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ systemId: prodDeploy.id, permission: "DEPLOY" });
    const applied = await prisma.auditEvent.findFirstOrThrow({ where: { action: "grant.created", targetId: identity.id } });
    expect(applied.actorId).toBe(owner.user.id);
    expect(applied.data).toMatchObject({ approvalRequestId: request.id, approvedBy: [lead.user.id, systemOwner.user.id] });
    expect(await prisma.approvalRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ status: "APPLIED" });
    const story = await prisma.auditEvent.findMany({
      where: { targetId: identity.id, action: { startsWith: "approval." } },
      orderBy: { seq: "asc" },
    });
    expect(story.map((event) => event.action)).toEqual([
      "approval.requested",
      "approval.approved",
      "approval.approved",
      "approval.applied",
    ]);
    // Decided for good.
    expect((await refused(decide(secondLead, request.id))).code).toBe("conflict");
  });

  it("never lets anyone decide their own request", async () => {
    const identity = await registerIdentity();
    const request = await deployGrantRequest(identity.id, lead);
    const error = await refused(decide(lead, request.id));
    expect(error.code).toBe("forbidden");
    expect(error.message).toBe("Nobody decides their own request.");
  });

  it("does not let the identity's owner be the only approver", async () => {
    const leadOwner = await createTestUser(["SECURITY_LEAD"]);
    const identity = await registerIdentity({ ownerId: leadOwner.user.id });
    await executeMutation(suspendIdentity, systemActor, { identityId: identity.id });
    // Reactivation has one level (a security lead); the owner is a security lead but may not be that level alone.
    const request = await sentForApproval(
      executeMutation(reactivateIdentity, secondLead.actor, { identityId: identity.id, justification: "Incident closed" }),
    );
    expect((await refused(decide(leadOwner, request.id))).message).toMatch(/owner cannot be the only approver/);
    expect(await decide(lead, request.id)).toEqual({ id: request.id, status: "APPLIED" });
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } })).status).toBe("ACTIVE");
  });

  it("ends the request at the first rejection, which needs a comment", async () => {
    const identity = await registerIdentity();
    const request = await deployGrantRequest(identity.id);
    expect((await refused(decide(lead, request.id, "REJECT"))).fields?.comment).toMatch(/is required when rejecting/);
    expect(await decide(lead, request.id, "REJECT", "Use the staging target")).toEqual({ id: request.id, status: "REJECTED" });
    expect((await refused(decide(secondLead, request.id))).message).toMatch(/already rejected/);
    expect(await prisma.grant.count({ where: { identityId: identity.id } })).toBe(0);
  });

  it("fails, applying nothing, when the change no longer applies at the last approval", async () => {
    const identity = await registerIdentity();
    const request = await deployGrantRequest(identity.id);
    await decide(lead, request.id);
    await executeMutation(retireIdentity, systemActor, { identityId: identity.id });
    const result = await decide(systemOwner, request.id);
    expect(result).toMatchObject({ status: "FAILED", reason: expect.stringMatching(/retired; it cannot be given access/) });
    expect(await prisma.grant.count({ where: { identityId: identity.id } })).toBe(0);
    const stored = await prisma.approvalRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(stored).toMatchObject({ status: "FAILED", outcome: expect.stringMatching(/retired/) });
    expect(await prisma.auditEvent.count({ where: { action: "approval.failed", targetId: identity.id } })).toBe(1);
  });

  it("fails, applying nothing, when the requester was deactivated before the last approval", async () => {
    const requester = await createTestUser();
    const identity = await registerIdentity({ ownerId: requester.user.id });
    const request = await deployGrantRequest(identity.id, requester);
    await decide(lead, request.id);
    await executeMutation(deactivateUser, systemActor, { userId: requester.user.id });
    expect(await decide(systemOwner, request.id)).toEqual({
      id: request.id,
      status: "FAILED",
      reason: "The requester's account is deactivated.",
    });
    expect(await prisma.grant.count({ where: { identityId: identity.id } })).toBe(0);
  });

  it("ends once, as failed and with nothing applied, when 20 people approve at the same moment a change that no longer applies", async () => {
    // The new name was taken meanwhile. The first run of each decision applies
    // without a savepoint, so the one that completes the request runs again
    // with one (RunAgainCarefully) and records the failure: once, whoever wins.
    const identity = await registerIdentity();
    counter += 1;
    const name = `approval-agent-${counter}`;
    const request = await sentForApproval(
      executeMutation(updateIdentity, owner.actor, {
        identityId: identity.id,
        name,
        autonomy: "AUTONOMOUS",
        justification: "Runs unattended under its team's naming",
      }),
    );
    await registerIdentity({ name });
    const leads = await Promise.all(Array.from({ length: 20 }, () => createTestUser(["SECURITY_LEAD"])));
    const outcomes = await Promise.allSettled(leads.map((person) => decide(person, request.id)));
    const ended = outcomes.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []));
    expect(ended).toEqual([{ id: request.id, status: "FAILED", reason: expect.stringMatching(/name/) }]);
    for (const outcome of outcomes) if (outcome.status === "rejected") expect(String(outcome.reason)).toMatch(/already failed/);
    expect(await prisma.approvalDecision.count({ where: { requestId: request.id } })).toBe(1);
    expect(await prisma.approvalRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ status: "FAILED" });
    expect(await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } })).toMatchObject({
      name: identity.name,
      autonomy: "SUGGEST",
    });
    expect(await prisma.auditEvent.count({ where: { action: "approval.failed", targetId: identity.id } })).toBe(1);
    expect(await prisma.auditEvent.count({ where: { action: "identity.updated", targetId: identity.id } })).toBe(0);
  });

  it("applies once when 20 people approve at the same moment", async () => {
    const identity = await registerIdentity();
    await executeMutation(suspendIdentity, systemActor, { identityId: identity.id });
    const request = await sentForApproval(
      executeMutation(reactivateIdentity, lead.actor, { identityId: identity.id, justification: "Back in service after the fix" }),
    );
    const leads = await Promise.all(Array.from({ length: 20 }, () => createTestUser(["SECURITY_LEAD"])));
    const outcomes = await Promise.allSettled(leads.map((person) => decide(person, request.id)));
    const applied = outcomes.filter((outcome) => outcome.status === "fulfilled");
    expect(applied).toHaveLength(1);
    expect(applied[0]!.status === "fulfilled" && applied[0]!.value).toMatchObject({ status: "APPLIED" });
    for (const outcome of outcomes) if (outcome.status === "rejected") expect(String(outcome.reason)).toMatch(/already applied/);
    expect(await prisma.approvalDecision.count({ where: { requestId: request.id } })).toBe(1);
    expect(await prisma.auditEvent.count({ where: { action: "identity.active", targetId: identity.id } })).toBe(1);
    expect(await prisma.auditEvent.count({ where: { action: "approval.applied", targetId: identity.id } })).toBe(1);
  });

  it("counts every approval when people decide a level that needs two at the same moment", async () => {
    const identity = await registerIdentity();
    await executeMutation(suspendIdentity, systemActor, { identityId: identity.id });
    // Requests keep the levels they were made with, so the rule is back as it was before anyone decides.
    const rule = await prisma.approvalRule.findUniqueOrThrow({ where: { key: "security-lead" } });
    const asItWas = { ruleKey: rule.key, name: rule.name, levels: rule.levels, expiryHours: rule.expiryHours };
    const twoLeads = [{ name: "Two security leads", approvers: { kind: "role", role: "SECURITY_LEAD" }, required: 2 }];
    await executeMutation(updateApprovalRule, systemActor, { ...asItWas, levels: twoLeads });
    const request = await sentForApproval(
      executeMutation(reactivateIdentity, lead.actor, { identityId: identity.id, justification: "Back in service after the fix" }),
    ).finally(() => executeMutation(updateApprovalRule, systemActor, asItWas));

    const leads = await Promise.all(Array.from({ length: 6 }, () => createTestUser(["SECURITY_LEAD"])));
    const outcomes = await Promise.allSettled(leads.map((person) => decide(person, request.id)));
    const statuses = outcomes.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value.status] : []));
    // The first approval leaves it pending, the second applies it, the rest find it applied.
    expect(statuses.sort()).toEqual(["APPLIED", "PENDING"]);
    for (const outcome of outcomes) if (outcome.status === "rejected") expect(String(outcome.reason)).toMatch(/already applied/);
    expect(await prisma.approvalDecision.count({ where: { requestId: request.id } })).toBe(2);
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } })).status).toBe("ACTIVE");
    expect(await prisma.auditEvent.count({ where: { action: "identity.active", targetId: identity.id } })).toBe(1);
  });
});

describe("notifications", () => {
  const recipientsOf = async (requestId: string, event: string) =>
    (
      await prisma.notificationMessage.findMany({
        where: { event, channel: "EMAIL", payload: { path: ["requestId"], equals: requestId } },
        orderBy: { recipient: "asc" },
      })
    ).map((message) => message.recipient);

  it("ask each level's approvers when the request reaches them, and tell the requester the outcome", async () => {
    const identity = await registerIdentity();
    const request = await deployGrantRequest(identity.id);
    const leads = (await prisma.user.findMany({ where: { roles: { has: "SECURITY_LEAD" }, active: true }, orderBy: { email: "asc" } })).map(
      (user) => user.email,
    );
    expect(await recipientsOf(request.id, "approval.requested")).toEqual(leads.sort());
    await decide(lead, request.id);
    expect(await recipientsOf(request.id, "approval.requested")).toEqual([...leads, systemOwner.user.email].sort());
    expect(await recipientsOf(request.id, "approval.decided")).toEqual([]);
    await decide(systemOwner, request.id);
    const outcome = await prisma.notificationMessage.findFirstOrThrow({
      where: { event: "approval.decided", payload: { path: ["requestId"], equals: request.id } },
    });
    expect(outcome).toMatchObject({
      recipient: owner.user.email,
      subject: expect.stringMatching(/^Your request was approved and applied/),
      link: `/approvals/${request.id}`,
    });
  });

  it("tell every security lead about break-glass", async () => {
    const identity = await registerIdentity();
    const request = await deployGrantRequest(identity.id);
    await executeMutation(breakGlassApprovalRequest, admin.actor, { requestId: request.id, reason: "Outage, INC-99 in progress" });
    const leads = (await prisma.user.findMany({ where: { roles: { has: "SECURITY_LEAD" }, active: true } })).map((user) => user.email);
    expect(await recipientsOf(request.id, "approval.break_glass")).toEqual([...leads, owner.user.email].sort());
  });
});

describe("withdraw, expiry and break-glass", () => {
  it("lets only the requester withdraw a pending request", async () => {
    const identity = await registerIdentity();
    const request = await deployGrantRequest(identity.id);
    expect((await refused(executeMutation(withdrawApprovalRequest, colleague.actor, { requestId: request.id }))).code).toBe("forbidden");
    expect(await executeMutation(withdrawApprovalRequest, owner.actor, { requestId: request.id, reason: "Not needed" })).toMatchObject({
      status: "WITHDRAWN",
    });
    expect((await refused(decide(lead, request.id))).message).toMatch(/already withdrawn/);
    // Withdrawn, it no longer blocks asking again.
    await deployGrantRequest(identity.id);
  });

  it("expires requests nobody decided in time; an expired one cannot be approved", async () => {
    const identity = await registerIdentity();
    const request = await deployGrantRequest(identity.id);
    await prisma.approvalRequest.update({ where: { id: request.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await refused(decide(lead, request.id))).message).toMatch(/expired/);
    expect(await expireDueRequests(prisma, systemActor)).toBeGreaterThanOrEqual(1);
    expect(await prisma.approvalRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ status: "EXPIRED" });
    expect(await prisma.auditEvent.count({ where: { action: "approval.expired", targetId: identity.id } })).toBe(1);
    expect(await expireDueRequests(prisma, systemActor)).toBe(0);
  });

  it("lets an admin apply a change at once with a reason; it is marked and a review of the identity opens", async () => {
    const identity = await registerIdentity();
    const request = await deployGrantRequest(identity.id);
    expect(
      (await refused(executeMutation(breakGlassApprovalRequest, lead.actor, { requestId: request.id, reason: "Outage in payments" }))).code,
    ).toBe("forbidden");
    expect(
      (await refused(executeMutation(breakGlassApprovalRequest, admin.actor, { requestId: request.id, reason: "now" }))).fields?.reason,
    ).toMatch(/at least 10 characters/);
    const result = await executeMutation(breakGlassApprovalRequest, admin.actor, {
      requestId: request.id,
      reason: "Outage in payments, INC-4411",
    });
    expect(result).toMatchObject({ status: "APPLIED", breakGlass: true });
    expect(await prisma.grant.count({ where: { identityId: identity.id, permission: "DEPLOY", revokedAt: null } })).toBe(1);
    expect(await prisma.approvalRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      breakGlass: true,
      outcome: "Outage in payments, INC-4411",
    });
    expect(await prisma.review.findFirst({ where: { identityId: identity.id, status: "OPEN" } })).toMatchObject({
      reason: expect.stringContaining("break-glass"),
    });
    expect(await prisma.auditEvent.count({ where: { action: "approval.break_glass", targetId: identity.id } })).toBe(1);
  });
});

describe("the catalog", () => {
  it("covers each kind of sensitive change named in the issue", async () => {
    const identity = await registerIdentity();
    const credential = sentForApproval(
      executeMutation(createCredential, owner.actor, {
        identityId: identity.id,
        type: "PAT",
        label: "forever token",
        fingerprint: "SHA256:forever",
        issuedAt: new Date().toISOString(),
        justification: "Vendor cannot rotate",
      }),
    );
    expect((await credential).catalogKey).toBe("credential.long_lived");
    const autonomy = await sentForApproval(
      executeMutation(updateIdentity, owner.actor, { identityId: identity.id, autonomy: "AUTONOMOUS", justification: "Runs unattended" }),
    );
    expect(autonomy).toMatchObject({ catalogKey: "identity.autonomy_raised", summary: `Raise ${identity.name}'s autonomy to AUTONOMOUS` });
    const expiry = await sentForApproval(
      executeMutation(updateIdentity, owner.actor, { identityId: identity.id, expiresAt: inDays(400), justification: "Long project" }),
    );
    expect(expiry.catalogKey).toBe("identity.expiry_extended");
    const role = await sentForApproval(
      executeMutation(setUserRoles, admin.actor, {
        userId: colleague.user.id,
        roles: ["SECURITY_LEAD"],
        justification: "Joins the security team",
      }),
    );
    expect(role).toMatchObject({ catalogKey: "user.privileged_role", summary: `Make ${colleague.user.email} security lead` });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: colleague.user.id } })).roles).toEqual([]);
    const newLead = await sentForApproval(
      executeMutation(createUser, admin.actor, {
        email: "new.lead@example.com",
        name: "New Lead",
        roles: ["SECURITY_LEAD"],
        justification: "Hire",
      }),
    );
    expect(newLead.catalogKey).toBe("user.privileged_role");
    expect(await prisma.user.count({ where: { email: "new.lead@example.com" } })).toBe(0);
    const shortLived = await executeMutation(createCredential, owner.actor, {
      identityId: identity.id,
      type: "API_KEY",
      label: "monthly key",
      fingerprint: "SHA256:monthly",
      issuedAt: new Date().toISOString(),
      expiresAt: inDays(30),
    });
    const rotation = await sentForApproval(
      executeMutation(rotateCredential, owner.actor, {
        credentialId: shortLived.id,
        fingerprint: "SHA256:monthly2",
        justification: "No expiry from vendor",
      }),
    );
    expect(rotation).toMatchObject({ catalogKey: "credential.long_lived", reason: "it never expires" });
    // A short-lived credential, a lowered autonomy and a nearer expiry are not sensitive.
    await executeMutation(updateIdentity, owner.actor, { identityId: identity.id, expiresAt: inDays(30) });
  });

  it("turns sensitive CSV import rows into requests, reports them per row, and asks nothing twice on re-import", async () => {
    const date = inDays(30).slice(0, 10);
    const csv = [
      "name,kind,purpose,environment,autonomy,ownerEmail,expiresAt",
      `imported-quiet,CODING_AGENT,Lints,DEV,SUGGEST,${owner.user.email},${date}`,
      `imported-bold,CODING_AGENT,Deploys,DEV,AUTONOMOUS,${owner.user.email},${date}`,
      "",
    ].join("\n");
    const importAs = (justification?: string, dryRun = false) =>
      executeMutation(importIdentities, owner.actor, { csv, justification }, prisma, { dryRun });
    const importedCount = () => prisma.aiIdentity.count({ where: { name: { startsWith: "imported-" } } });
    const requestCount = () => prisma.approvalRequest.count({ where: { mutation: "identities.create", requesterId: owner.user.id } });

    // Without a justification the import is refused, naming the line, and nothing is kept.
    const error = await refused(importAs());
    expect(error.fields?.["line 3.justification"]).toMatch(/is required: this change needs approval \(Raised autonomy/);
    expect(await importedCount()).toBe(0);
    expect(await requestCount()).toBe(0);

    // A preview says which rows would become requests, and keeps nothing.
    const preview = await importAs("Release agents for the new pipeline", true);
    expect(preview.rows.map((row) => [row.line, row.action, row.approval?.id])).toEqual([
      [2, "create", undefined],
      [3, "request", undefined],
    ]);
    expect(await requestCount()).toBe(0);

    const result = await importAs("Release agents for the new pipeline");
    expect(result).toMatchObject({ created: 1, requested: 1, failed: 0 });
    const requestId = result.rows[1]!.approval!.id!;
    expect(await prisma.approvalRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({
      status: "PENDING",
      mutation: "identities.create",
      catalogKey: "identity.autonomy_raised",
      requesterId: owner.user.id,
      justification: "Release agents for the new pipeline",
      summary: "Register imported-bold (DEV) at AUTONOMOUS autonomy",
    });
    expect(await prisma.aiIdentity.findMany({ where: { name: { startsWith: "imported-" } }, select: { name: true } })).toEqual([
      { name: "imported-quiet" },
    ]);

    // Re-importing the same file changes nothing and points at the request already waiting.
    const again = await importAs("Release agents for the new pipeline");
    expect(again.rows.map((row) => [row.action, row.approval?.id, row.approval?.alreadyPending])).toEqual([
      ["unchanged", undefined, undefined],
      ["request", requestId, true],
    ]);
    expect(await requestCount()).toBe(1);

    // Once approved, the row is applied as the importer asked.
    expect(await decide(lead, requestId)).toMatchObject({ status: "APPLIED" });
    const bold = await prisma.aiIdentity.findFirstOrThrow({ where: { name: "imported-bold" } });
    expect(bold).toMatchObject({ autonomy: "AUTONOMOUS", ownerId: owner.user.id, environment: "DEV" });

    // A row that raises an existing identity's autonomy becomes an update request.
    const raise = csv.replace("imported-quiet,CODING_AGENT,Lints,DEV,SUGGEST", "imported-quiet,CODING_AGENT,Lints,DEV,EXECUTE");
    const update = await executeMutation(importIdentities, owner.actor, { csv: raise, justification: "Lint fixes land directly" });
    expect(update.rows.map((row) => [row.action, row.approval?.summary])).toEqual([
      ["request", expect.stringContaining("imported-quiet")],
      ["unchanged", undefined],
    ]);
    const quiet = await prisma.aiIdentity.findFirstOrThrow({ where: { name: "imported-quiet" } });
    expect(quiet.autonomy).toBe("SUGGEST");
    expect(await prisma.approvalRequest.findUniqueOrThrow({ where: { id: update.rows[0]!.approval!.id! } })).toMatchObject({
      mutation: "identities.update",
      identityId: quiet.id,
      input: { identityId: quiet.id, autonomy: "EXECUTE" },
    });
  });

  it("is itself guarded: switching an entry off needs approval, and once applied the change is made at once", async () => {
    const request = await sentForApproval(
      executeMutation(updateCatalogEntry, lead.actor, {
        key: "identity.reactivated",
        enabled: false,
        ruleKey: "security-lead",
        justification: "Reactivations are reviewed afterwards",
      }),
    );
    expect(request.catalogKey).toBe("approvals.rules_changed");
    expect(await decide(secondLead, request.id)).toMatchObject({ status: "APPLIED" });
    const identity = await registerIdentity();
    await executeMutation(suspendIdentity, systemActor, { identityId: identity.id });
    await executeMutation(reactivateIdentity, lead.actor, { identityId: identity.id });
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } })).status).toBe("ACTIVE");
    await executeMutation(updateCatalogEntry, systemActor, { key: "identity.reactivated", enabled: true, ruleKey: "security-lead" });
  });

  it("asks before a system that identities have access to moves into production or becomes restricted", async () => {
    const staging = await executeMutation(createSystem, systemActor, {
      name: "billing-api",
      kind: "INTERNAL_API",
      environment: "STAGING",
      sensitivity: "CONFIDENTIAL",
      ownerId: systemOwner.user.id,
    });
    const identity = await registerIdentity({ environment: "STAGING" });
    await executeMutation(createGrant, systemActor, { identityId: identity.id, systemId: staging.id, permission: "READ" });
    // Renaming it, or moving it out of production, widens nobody's reach.
    await executeMutation(updateSystem, lead.actor, { systemId: staging.id, name: "billing-api-v2" });
    const toProd = await sentForApproval(
      executeMutation(updateSystem, lead.actor, { systemId: staging.id, environment: "PROD", justification: "Promoted to production" }),
    );
    expect(toProd).toMatchObject({
      catalogKey: "system.reclassified",
      systemId: staging.id,
      summary: "Move billing-api-v2 (STAGING) into production",
      reason: "1 identity has access to billing-api-v2, which would move into production",
    });
    expect((await prisma.system.findUniqueOrThrow({ where: { id: staging.id } })).environment).toBe("STAGING");
    // A security lead other than the requester, then the system's owner.
    await expect(decide(lead, toProd.id)).rejects.toThrow("Nobody decides their own request.");
    await decide(secondLead, toProd.id);
    expect(await decide(systemOwner, toProd.id)).toMatchObject({ status: "APPLIED" });
    expect((await prisma.system.findUniqueOrThrow({ where: { id: staging.id } })).environment).toBe("PROD");
    const restricted = await sentForApproval(
      executeMutation(updateSystem, lead.actor, { systemId: staging.id, sensitivity: "RESTRICTED", justification: "Holds card data" }),
    );
    expect(restricted.summary).toBe("Move billing-api-v2 (PROD) to restricted");
    // With no live access left, the same move changes nobody's reach and applies at once.
    await executeMutation(withdrawApprovalRequest, lead.actor, { requestId: restricted.id });
    const grant = await prisma.grant.findFirstOrThrow({ where: { systemId: staging.id } });
    await prisma.grant.update({ where: { id: grant.id }, data: { revokedAt: new Date() } });
    await executeMutation(updateSystem, lead.actor, { systemId: staging.id, sensitivity: "RESTRICTED" });
    expect((await prisma.system.findUniqueOrThrow({ where: { id: staging.id } })).sensitivity).toBe("RESTRICTED");
  });

  it("is checked by every mutation it names, and only those have a sensitive check", () => {
    const named = new Set(Object.values(CATALOG).flatMap((entry) => entry.mutations));
    for (const name of named)
      expect(
        allMutations.some((mutation) => mutation.name === name),
        name,
      ).toBe(true);
    // CSV import checks each row itself (above); every other named mutation goes through executeMutation's check.
    const withCheck = allMutations.filter((mutation) => mutation.sensitive).map((mutation) => mutation.name);
    expect(new Set(withCheck)).toEqual(new Set([...named].filter((name) => name !== "identities.import")));
  });
});

describe("reading requests", () => {
  it("shows each person what waits for them, and hides requests from those with no part in them", async () => {
    const identity = await registerIdentity();
    const request = await deployGrantRequest(identity.id);
    const waiting = async (person: Person) =>
      (await listApprovalRequests(prisma, person.actor, { view: "waiting" }, { limit: 100 })).data.map((row) => row.id);
    expect(await waiting(lead)).toContain(request.id);
    expect(await waiting(systemOwner)).not.toContain(request.id);
    expect(await waiting(owner)).not.toContain(request.id);
    await decide(lead, request.id);
    expect(await waiting(lead)).not.toContain(request.id);
    expect(await waiting(systemOwner)).toContain(request.id);

    const mine = await listApprovalRequests(prisma, owner.actor, { view: "mine" }, { limit: 100 });
    expect(mine.data.find((row) => row.id === request.id)).toMatchObject({ waitingForLevel: { number: 2, name: "System owner" } });
    expect((await refused(listApprovalRequests(prisma, owner.actor, { view: "all" }, { limit: 10 }))).code).toBe("forbidden");
    expect((await refused(getApprovalRequest(prisma, colleague.actor, request.id))).code).toBe("not_found");
    const auditor = await createTestUser(["AUDITOR"]);
    const seen = await getApprovalRequest(prisma, auditor.actor, request.id);
    expect(seen.viewer).toMatchObject({ mayDecide: false, mayWithdraw: false, mayBreakGlass: false });
    expect((await refused(decide(auditor, request.id))).code).toBe("forbidden");
    expect((await getApprovalRequest(prisma, systemOwner.actor, request.id)).viewer.mayDecide).toBe(true);
  });
});

describe("the CLI", () => {
  it("lists what waits for a person and decides as them, under the same rules", async () => {
    const identity = await registerIdentity();
    const request = await deployGrantRequest(identity.id);
    const listed = await runCli(["approvals:list", "--as", lead.user.email]);
    expect(listed.code).toBe(0);
    expect(listed.output).toContain(`${request.id}  PENDING`);
    const own = await runCli(["approvals:approve", request.id, "--as", owner.user.email]);
    expect(own.code).toBe(1);
    expect(own.output).toContain("Nobody decides their own request.");
    expect((await runCli(["approvals:approve", request.id])).output).toContain("--as <email>");
    const approved = await runCli(["approvals:approve", request.id, "--as", lead.user.email, "--comment", "ok"]);
    expect(approved.output).toContain(`Approved ${request.id}: now PENDING`);
    const rejected = await runCli(["approvals:reject", request.id, "--as", systemOwner.user.email, "--comment", "Not this quarter"]);
    expect(rejected.output).toContain("now REJECTED");
    expect(await prisma.grant.count({ where: { identityId: identity.id } })).toBe(0);
  }, 180_000);
});
