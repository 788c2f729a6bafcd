import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { executeMutation } from "@/lib/auth/mutation";
import { decideApprovalRequest } from "@/lib/approvals/decide";
import { SentForApproval } from "@/lib/approvals/request";
import { prisma } from "@/lib/db/client";
import { createGrant, revokeGrant } from "@/lib/inventory/grants";
import { createIdentity, retireIdentity } from "@/lib/inventory/identities";
import { recomputeAllRiskAndRecord } from "@/lib/inventory/recompute-risk";
import { createSystem } from "@/lib/inventory/systems";
import { DEFAULT_LIFECYCLE_SETTINGS, LIFECYCLE_SETTINGS_KEY, lifecycleSettings, updateLifecycleSettings } from "@/lib/lifecycle/settings";
import { openReview } from "@/lib/reviews/reviews";
import { createTestUser, refused, systemActor } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";
import { registerFromTemplate } from "./register";
import { archiveTemplate, createTemplate, findTemplate, listTemplates, updateTemplate } from "./templates";

// Identity templates against a real database, through executeMutation as the
// pages, the API and the CLI call it: security leads write them, owners
// register from them in two fields (waiting for approval when the template's
// access is sensitive), a change can send their identities back for review.
// Also the lifecycle settings and the rule that a tier change brings the next
// review forward, never back.

type Person = { user: { id: string; email: string }; actor: Actor };
let lead: Person;
let secondLead: Person;
let owner: Person;
let systemOwner: Person;
let devRepo: { id: string; name: string };
let prodDeploy: { id: string; name: string };
let counter = 0;

const unique = (prefix: string) => `${prefix}-${(counter += 1)}`;
const daysFromNow = (date: Date) => (date.getTime() - Date.now()) / DAY_MS;

function newTemplate(overrides: Record<string, unknown> = {}) {
  return executeMutation(createTemplate, lead.actor, {
    name: unique("Claude Code dev"),
    kind: "CODING_AGENT",
    vendor: "Anthropic",
    product: "Claude Code",
    environment: "DEV",
    autonomy: "SUGGEST",
    lifetimeDays: 120,
    reviewCadenceDays: 60,
    grants: [{ systemId: devRepo.id, permission: "READ" }],
    ...overrides,
  });
}

const register = (templateId: string, by: Person = owner, extra: Record<string, unknown> = {}) =>
  executeMutation(registerFromTemplate, by.actor, {
    templateId,
    name: unique("from-template"),
    purpose: "Reviews pull requests",
    ...extra,
  });

async function sentForApproval(run: Promise<unknown>) {
  try {
    await run;
  } catch (error) {
    if (error instanceof SentForApproval) return prisma.approvalRequest.findUniqueOrThrow({ where: { id: error.request.id } });
    throw error;
  }
  throw new Error("the change was applied instead of being sent for approval");
}

const approve = (person: Person, requestId: string) =>
  executeMutation(decideApprovalRequest, person.actor, { requestId, verdict: "APPROVE" });

beforeAll(async () => {
  lead = await createTestUser(["SECURITY_LEAD"]);
  secondLead = await createTestUser(["SECURITY_LEAD"]);
  owner = await createTestUser();
  systemOwner = await createTestUser();
  devRepo = await executeMutation(createSystem, systemActor, {
    name: "team-x-repos",
    kind: "REPOSITORY",
    environment: "DEV",
    sensitivity: "INTERNAL",
  });
  prodDeploy = await executeMutation(createSystem, systemActor, {
    name: "k8s-prod",
    kind: "DEPLOY_TARGET",
    environment: "PROD",
    sensitivity: "RESTRICTED",
    ownerId: systemOwner.user.id,
  });
});

describe("templates", () => {
  it("are created, edited (each edit a version) and archived by security leads, each step audited", async () => {
    const template = await newTemplate({ name: "Claude Code, dev" });
    expect(template).toMatchObject({ version: 1, archivedAt: null, createdById: lead.user.id, reviewCadenceDays: 60, lifetimeDays: 120 });
    const created = await prisma.auditEvent.findFirstOrThrow({ where: { action: "template.created", targetId: template.id } });
    expect(created).toMatchObject({ actorId: lead.user.id, targetType: "template" });

    const edited = await executeMutation(updateTemplate, lead.actor, { templateId: template.id, autonomy: "DRAFT", lifetimeDays: 90 });
    expect(edited).toMatchObject({ version: 2, autonomy: "DRAFT", lifetimeDays: 90, reviewsOpened: 0 });
    const updated = await prisma.auditEvent.findFirstOrThrow({ where: { action: "template.updated", targetId: template.id } });
    expect(updated.data).toMatchObject({
      version: 2,
      changed: { autonomy: { from: "SUGGEST", to: "DRAFT" }, lifetimeDays: { from: 120, to: 90 } },
    });
    // Sending the same values again is no edit: refused, and the version stays.
    const same = await refused(executeMutation(updateTemplate, lead.actor, { templateId: template.id, autonomy: "DRAFT" }));
    expect(same.code).toBe("validation_failed");
    expect((await findTemplate(prisma, template.id)).version).toBe(2);

    await executeMutation(archiveTemplate, lead.actor, { templateId: template.id });
    const archived = await findTemplate(prisma, template.id);
    expect(archived.archivedAt).not.toBeNull();
    expect(await prisma.auditEvent.count({ where: { action: "template.archived", targetId: template.id } })).toBe(1);
    expect((await refused(executeMutation(archiveTemplate, lead.actor, { templateId: template.id }))).code).toBe("conflict");
    expect((await refused(executeMutation(updateTemplate, lead.actor, { templateId: template.id, lifetimeDays: 30 }))).code).toBe(
      "conflict",
    );
    expect((await refused(register(template.id))).code).toBe("conflict");
    expect((await listTemplates(prisma, { includeArchived: false })).map((row) => row.id)).not.toContain(template.id);
  });

  it("refuse bad input with errors naming the field, and store nothing", async () => {
    const taken = await newTemplate();
    const before = await prisma.identityTemplate.count();
    const unknownSystem = await refused(newTemplate({ grants: [{ systemId: "no-such-system", permission: "READ" }] }));
    expect(unknownSystem.fields).toEqual({ "grants.0.systemId": "must be an existing system" });
    const badPermission = await refused(newTemplate({ grants: [{ systemId: devRepo.id, permission: "OWN" }] }));
    expect(badPermission.fields?.["grants.0.permission"]).toMatch(/must be one of READ, WRITE, DEPLOY, ADMIN/);
    const twice = await refused(
      newTemplate({
        grants: [
          { systemId: devRepo.id, permission: "READ" },
          { systemId: devRepo.id, permission: "READ" },
        ],
      }),
    );
    expect(twice.fields?.["grants.1"]).toMatch(/twice/);
    expect((await refused(newTemplate({ lifetimeDays: 0 }))).fields?.lifetimeDays).toBe("must be at least 1 days");
    expect((await refused(newTemplate({ lifetimeDays: 731 }))).fields?.lifetimeDays).toBe("must be at most 730 days");
    expect((await refused(newTemplate({ reviewCadenceDays: 3 }))).fields?.reviewCadenceDays).toBe("must be at least 7 days");
    const duplicate = await refused(newTemplate({ name: taken.name }));
    expect(duplicate).toMatchObject({ code: "conflict", fields: { name: "is already used" } });
    const renamed = await newTemplate();
    expect((await refused(executeMutation(updateTemplate, lead.actor, { templateId: renamed.id, name: taken.name }))).fields).toEqual({
      name: "is already used",
    });
    expect(await prisma.identityTemplate.count()).toBe(before + 1);
  });

  it("are written by security leads only; members may register from them", async () => {
    const error = await refused(
      executeMutation(createTemplate, owner.actor, { name: "mine", kind: "CODING_AGENT", environment: "DEV", lifetimeDays: 30 }),
    );
    expect(error.status).toBe(403);
    const template = await newTemplate();
    expect((await refused(executeMutation(archiveTemplate, owner.actor, { templateId: template.id }))).status).toBe(403);
  });
});

describe("registering from a template", () => {
  it("creates the identity with the template's settings and its grants, in two fields, owned by the caller", async () => {
    const template = await newTemplate();
    const identity = await register(template.id);
    const stored = await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id }, include: { grants: true } });
    expect(stored).toMatchObject({
      kind: "CODING_AGENT",
      vendor: "Anthropic",
      product: "Claude Code",
      environment: "DEV",
      autonomy: "SUGGEST",
      status: "ACTIVE",
      ownerId: owner.user.id,
      purpose: "Reviews pull requests",
      reviewCadenceDays: 60,
      templateId: template.id,
      templateVersion: 1,
    });
    expect(daysFromNow(stored.expiresAt)).toBeCloseTo(120, 1);
    expect(daysFromNow(stored.nextReviewAt)).toBeCloseTo(60, 1);
    expect(stored.grants).toEqual([
      expect.objectContaining({ systemId: devRepo.id, permission: "READ", mode: "STANDING", revokedAt: null }),
    ]);
    const events = await prisma.auditEvent.findMany({ where: { targetId: identity.id }, orderBy: { seq: "asc" } });
    expect(events.map((event) => event.action)).toEqual(["identity.created", "grant.created"]);
    expect(events[0]!.data).toMatchObject({ templateId: template.id, templateVersion: 1 });
    expect((await findTemplate(prisma, template.id)).identitiesMade).toBe(1);
  });

  it("gives the identity its risk tier's cadence when the template leaves the cadence open", async () => {
    const template = await newTemplate({ reviewCadenceDays: "" });
    const identity = await register(template.id);
    const stored = await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } });
    expect(stored.riskTier).toBe("LOW");
    expect(stored.reviewCadenceDays).toBe(DEFAULT_LIFECYCLE_SETTINGS.cadenceLowDays);
    expect(daysFromNow(stored.nextReviewAt)).toBeCloseTo(365, 1);
  });

  it("refuses a bad name, a missing purpose or a backup owner who is the owner, naming the fields", async () => {
    const template = await newTemplate();
    const error = await refused(
      executeMutation(registerFromTemplate, owner.actor, {
        templateId: template.id,
        name: "no/ way!",
        purpose: "",
        backupOwnerId: owner.user.id,
        ownerId: owner.user.id,
      }),
    );
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(["backupOwnerId", "name", "purpose"]);
    expect((await refused(register("no-such-template"))).fields).toEqual({ templateId: "must be an existing template" });
  });

  it("waits for approval as a whole when the template's access is sensitive, and the approval applies it all at once", async () => {
    const template = await newTemplate({
      environment: "PROD",
      reviewCadenceDays: "",
      grants: [
        { systemId: prodDeploy.id, permission: "DEPLOY" },
        { systemId: devRepo.id, permission: "READ" },
      ],
    });
    const name = unique("release-bot");
    const identitiesBefore = await prisma.aiIdentity.count();
    const request = await sentForApproval(register(template.id, owner, { name, justification: "Ships tagged releases for team X" }));
    expect(request).toMatchObject({
      mutation: "identities.create-from-template",
      catalogKey: "grant.sensitive",
      summary: `Register ${name} (PROD) from template ${template.name}`,
      systemId: prodDeploy.id,
      identityId: null,
    });
    expect(request.reason).toContain("DEPLOY is a privileged permission");
    expect(request.changes).toEqual([
      expect.objectContaining({ action: "identity.created" }),
      expect.objectContaining({ action: "grant.created", data: expect.objectContaining({ permission: "DEPLOY" }) }),
      expect.objectContaining({ action: "grant.created", data: expect.objectContaining({ permission: "READ" }) }),
    ]);
    expect(await prisma.aiIdentity.count()).toBe(identitiesBefore);

    // The default rule for access: a security lead, then the system's owner.
    expect(await approve(lead, request.id)).toMatchObject({ status: "PENDING" });
    expect(await approve(systemOwner, request.id)).toMatchObject({ status: "APPLIED" });
    const identity = await prisma.aiIdentity.findUniqueOrThrow({
      where: { name_environment: { name, environment: "PROD" } },
      include: { grants: { orderBy: { permission: "asc" } } },
    });
    expect(identity).toMatchObject({ ownerId: owner.user.id, templateId: template.id, templateVersion: 1, riskTier: "CRITICAL" });
    expect(identity.grants.map((grant) => [grant.systemId, grant.permission])).toEqual([
      [devRepo.id, "READ"],
      [prodDeploy.id, "DEPLOY"],
    ]);
    // A critical identity registered with the tier's cadence.
    expect(identity.reviewCadenceDays).toBe(DEFAULT_LIFECYCLE_SETTINGS.cadenceCriticalDays);
    const applied = await prisma.auditEvent.findFirstOrThrow({ where: { action: "identity.created", targetId: identity.id } });
    expect(applied.data).toMatchObject({ approvalRequestId: request.id });
  });

  it("fails an approved registration whose template changed meanwhile: the approvers saw other access", async () => {
    const template = await newTemplate({ grants: [{ systemId: prodDeploy.id, permission: "READ" }] });
    const name = unique("stale");
    const request = await sentForApproval(register(template.id, owner, { name, justification: "Reads deploy logs" }));
    await executeMutation(updateTemplate, lead.actor, {
      templateId: template.id,
      grants: [{ systemId: prodDeploy.id, permission: "ADMIN" }],
    });
    await approve(lead, request.id);
    const result = await approve(systemOwner, request.id);
    expect(result).toMatchObject({ status: "FAILED" });
    expect((result as { reason: string }).reason).toMatch(/changed \(version 1 → 2\)/);
    expect(await prisma.aiIdentity.count({ where: { name } })).toBe(0);
  });
});

describe("changing a template", () => {
  it("can open a CHANGE review for every identity in service made from it, not for retired ones", async () => {
    const template = await newTemplate({ name: unique("Copilot") });
    const live = await register(template.id);
    const underReview = await register(template.id);
    const retired = await register(template.id);
    await executeMutation(openReview, owner.actor, { identityId: underReview.id });
    await executeMutation(retireIdentity, owner.actor, { identityId: retired.id });

    const result = await executeMutation(updateTemplate, lead.actor, { templateId: template.id, autonomy: "DRAFT", openReviews: true });
    expect(result).toMatchObject({ version: 2, reviewsOpened: 1, alreadyUnderReview: 1 });
    const review = await prisma.review.findFirstOrThrow({ where: { identityId: live.id, status: "OPEN" } });
    expect(review.trigger).toBe("CHANGE");
    expect(review.reason).toBe(`Template ${template.name} changed to version 2: autonomy SUGGEST → DRAFT`);
    expect(daysFromNow(review.dueAt)).toBeCloseTo(DEFAULT_LIFECYCLE_SETTINGS.changeReviewDays, 1);
    expect(await prisma.review.count({ where: { identityId: underReview.id, status: "OPEN" } })).toBe(1);
    expect(await prisma.review.findFirst({ where: { identityId: underReview.id, trigger: "CHANGE" } })).toBeNull();
    expect(await prisma.review.count({ where: { identityId: retired.id, status: "OPEN" } })).toBe(0);
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "template.updated", targetId: template.id } });
    expect(event.data).toMatchObject({ reviewsOpened: 1, alreadyUnderReview: 1 });

    // Without openReviews, an edit sends nobody back for review.
    await executeMutation(updateTemplate, lead.actor, { templateId: template.id, lifetimeDays: 60 });
    expect(await prisma.review.count({ where: { identityId: live.id } })).toBe(1);
  });
});

describe("the review cadence by risk tier", () => {
  it("brings the next review forward when the tier rises, and leaves it when the tier falls", async () => {
    // The ADMIN grant also opens a change review (lib/reviews/change.ts); a window longer than the
    // critical cadence keeps that review's due date out of what this test measures.
    await prisma.setting.upsert({
      where: { key: LIFECYCLE_SETTINGS_KEY },
      create: { key: LIFECYCLE_SETTINGS_KEY, value: { ...DEFAULT_LIFECYCLE_SETTINGS, changeReviewDays: 90 } },
      update: { value: { ...DEFAULT_LIFECYCLE_SETTINGS, changeReviewDays: 90 } },
    });
    const identity = await executeMutation(createIdentity, systemActor, {
      name: unique("tiered"),
      kind: "CI_BOT",
      purpose: "Builds",
      environment: "PROD",
      ownerId: owner.user.id,
      expiresAt: new Date(Date.now() + 300 * DAY_MS).toISOString(),
      reviewCadenceDays: 365,
    });
    // Registration keeps the cadence it was given.
    expect(daysFromNow((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } })).nextReviewAt)).toBeCloseTo(365, 1);

    const grant = await executeMutation(createGrant, systemActor, {
      identityId: identity.id,
      systemId: prodDeploy.id,
      permission: "ADMIN",
    });
    const raised = await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } });
    expect(raised.riskTier).toBe("CRITICAL");
    expect(daysFromNow(raised.nextReviewAt)).toBeCloseTo(DEFAULT_LIFECYCLE_SETTINGS.cadenceCriticalDays, 1);

    await executeMutation(revokeGrant, systemActor, { grantId: grant.id });
    const lowered = await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } });
    expect(lowered.riskTier).toBe("LOW");
    expect(lowered.nextReviewAt).toEqual(raised.nextReviewAt);
    await prisma.setting.delete({ where: { key: LIFECYCLE_SETTINGS_KEY } });
  });

  it("applies in the hourly sweep too, recorded on the identity's re-rating event", async () => {
    const identity = await executeMutation(createIdentity, systemActor, {
      name: unique("aging"),
      kind: "CI_BOT",
      purpose: "Builds",
      environment: "DEV",
      ownerId: owner.user.id,
      expiresAt: new Date(Date.now() + 300 * DAY_MS).toISOString(),
      reviewCadenceDays: 365,
    });
    // A credential that turned long-lived with time: nothing re-rated it yet.
    await prisma.credential.create({
      data: {
        identityId: identity.id,
        type: "PAT",
        label: "old",
        fingerprint: unique("fp"),
        issuedAt: new Date(Date.now() - 120 * DAY_MS),
      },
    });
    await recomputeAllRiskAndRecord(prisma, systemActor);
    const swept = await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } });
    expect(swept.riskTier).toBe("MEDIUM");
    expect(daysFromNow(swept.nextReviewAt)).toBeCloseTo(DEFAULT_LIFECYCLE_SETTINGS.cadenceMediumDays, 1);
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "risk.rerated", targetId: identity.id } });
    expect(event.data).toMatchObject({ from: "LOW", to: "MEDIUM", nextReviewAt: { to: swept.nextReviewAt.toISOString() } });
  });
});

describe("the lifecycle settings", () => {
  const valid = {
    escalationDays: 5,
    changeReviewDays: 10,
    cadenceCriticalDays: 14,
    cadenceHighDays: 60,
    cadenceMediumDays: 120,
    cadenceLowDays: 300,
  };

  it("are changed by security leads, audited with before and after, and refused to members", async () => {
    expect((await refused(executeMutation(updateLifecycleSettings, owner.actor, valid))).status).toBe(403);
    const bad = await refused(
      executeMutation(updateLifecycleSettings, lead.actor, { ...valid, cadenceLowDays: 0, escalationDays: "soon" }),
    );
    expect(bad.fields).toMatchObject({ cadenceLowDays: "must be at least 1 day", escalationDays: "must be a number of days" });
    expect(await lifecycleSettings(prisma)).toEqual(DEFAULT_LIFECYCLE_SETTINGS);

    await executeMutation(updateLifecycleSettings, secondLead.actor, valid);
    expect(await lifecycleSettings(prisma)).toEqual(valid);
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "lifecycle.settings_changed" }, orderBy: { seq: "desc" } });
    expect(event).toMatchObject({ actorId: secondLead.user.id, data: { before: DEFAULT_LIFECYCLE_SETTINGS, after: valid } });

    // The template path now takes the new cadence for its tier.
    const template = await newTemplate({ reviewCadenceDays: "" });
    const identity = await register(template.id);
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } })).reviewCadenceDays).toBe(300);
    await executeMutation(updateLifecycleSettings, secondLead.actor, DEFAULT_LIFECYCLE_SETTINGS);
  });
});
