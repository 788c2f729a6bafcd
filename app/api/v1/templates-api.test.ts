import { beforeAll, describe, expect, it } from "vitest";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { createSystem } from "@/lib/inventory/systems";
import { DEFAULT_LIFECYCLE_SETTINGS } from "@/lib/lifecycle/settings";
import { apiAs, callApi } from "@/lib/testing/api-client";
import { createTestToken, createTestUser, systemActor } from "@/lib/testing/factories";

// Templates and the lifecycle settings through /api/v1, as a script would use
// them: a lead writes a template, an owner registers from it with a name and a
// purpose, a sensitive one answers 202 with the approval request.

let lead: ReturnType<typeof apiAs>;
let leadToken: string;
let owner: ReturnType<typeof apiAs>;
let ownerId: string;
let repo: { id: string };
let prod: { id: string };

beforeAll(async () => {
  const leadUser = await createTestUser(["SECURITY_LEAD"]);
  const ownerUser = await createTestUser();
  ownerId = ownerUser.user.id;
  leadToken = await createTestToken(leadUser.user.email);
  lead = apiAs(leadToken);
  owner = apiAs(await createTestToken(ownerUser.user.email));
  repo = await executeMutation(createSystem, systemActor, {
    name: "api-repo",
    kind: "REPOSITORY",
    environment: "DEV",
    sensitivity: "INTERNAL",
  });
  prod = await executeMutation(createSystem, systemActor, {
    name: "api-prod",
    kind: "DEPLOY_TARGET",
    environment: "PROD",
    sensitivity: "RESTRICTED",
  });
});

describe("/api/v1/templates", () => {
  it("lets a lead create and edit a template, and an owner register from it in two fields", async () => {
    const created = await lead.post("templates", {
      name: "Cursor, dev",
      kind: "IDE_ASSISTANT",
      environment: "DEV",
      lifetimeDays: 90,
      grants: [{ systemId: repo.id, permission: "READ" }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ version: 1, reviewCadenceDays: null, autonomy: "SUGGEST" });
    const id = created.body.id as string;

    expect((await owner.post("templates", { name: "mine", kind: "OTHER", environment: "DEV", lifetimeDays: 5 })).status).toBe(403);
    const bad = await lead.post("templates", {
      name: "bad",
      kind: "OTHER",
      environment: "DEV",
      lifetimeDays: 9999,
      grants: [{ systemId: "nope", permission: "READ" }],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields).toMatchObject({ lifetimeDays: "must be at most 730 days" });
    const unknownSystem = await lead.post("templates", {
      name: "bad",
      kind: "OTHER",
      environment: "DEV",
      lifetimeDays: 9,
      grants: [{ systemId: "nope", permission: "READ" }],
    });
    expect(unknownSystem.body.error.fields).toEqual({ "grants.0.systemId": "must be an existing system" });
    expect((await lead.post("templates", { name: "Cursor, dev", kind: "OTHER", environment: "DEV", lifetimeDays: 9 })).status).toBe(409);

    const edited = await lead.patch("templates/[id]", { model: "gpt-5", openReviews: false }, { id });
    expect(edited.status).toBe(200);
    expect(edited.body.version).toBe(2);

    const registered = await owner.post("templates/[id]/identities", { name: "cursor-olivia", purpose: "Completions" }, { id });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({
      ownerId,
      model: "gpt-5",
      templateVersion: 2,
      grants: [expect.objectContaining({ systemId: repo.id })],
    });

    const listed = await owner.get("templates");
    expect(listed.body.templates).toEqual([expect.objectContaining({ id, identitiesMade: 1, identitiesInService: 1 })]);
    expect((await owner.get("templates/[id]", { id })).body.grants).toEqual([
      { systemId: repo.id, permission: "READ", systemName: "api-repo", systemEnvironment: "DEV" },
    ]);

    expect((await lead.post("templates/[id]/archive", {}, { id })).status).toBe(200);
    expect((await owner.post("templates/[id]/identities", { name: "too-late", purpose: "x" }, { id })).status).toBe(409);
  });

  it("answers 202 with one approval request when the template's access is sensitive", async () => {
    const created = await lead.post("templates", {
      name: "Deployer, prod",
      kind: "CI_BOT",
      environment: "PROD",
      lifetimeDays: 30,
      grants: [{ systemId: prod.id, permission: "DEPLOY" }],
    });
    const id = created.body.id as string;
    const withoutReason = await owner.post("templates/[id]/identities", { name: "deployer", purpose: "Deploys" }, { id });
    expect(withoutReason.status).toBe(422);
    expect(withoutReason.body.error.fields.justification).toMatch(/needs approval/);
    const sent = await owner.post(
      "templates/[id]/identities",
      { name: "deployer", purpose: "Deploys", justification: "Release train" },
      { id },
    );
    expect(sent.status).toBe(202);
    expect(sent.body.approvalRequest).toMatchObject({
      catalogKey: "grant.sensitive",
      summary: "Register deployer (PROD) from template Deployer, prod",
    });
    expect(await prisma.aiIdentity.count({ where: { name: "deployer" } })).toBe(0);
  });
});

describe("/api/v1/lifecycle-settings", () => {
  it("is read by everyone and replaced by security leads only, whole", async () => {
    expect((await owner.get("lifecycle-settings")).body).toEqual(DEFAULT_LIFECYCLE_SETTINGS);
    const changed = { ...DEFAULT_LIFECYCLE_SETTINGS, cadenceHighDays: 60 };
    expect((await callApi("PUT", "lifecycle-settings", undefined, { body: changed })).status).toBe(401);
    const ownerToken = await createTestToken((await prisma.user.findUniqueOrThrow({ where: { id: ownerId } })).email);
    expect((await callApi("PUT", "lifecycle-settings", ownerToken, { body: changed })).status).toBe(403);
    const partial = await callApi("PUT", "lifecycle-settings", leadToken, { body: { cadenceHighDays: 60 } });
    expect(partial.status).toBe(422);
    expect(partial.body.error.fields).toHaveProperty("escalationDays");
    const saved = await callApi("PUT", "lifecycle-settings", leadToken, { body: changed });
    expect(saved).toMatchObject({ status: 200, body: changed });
    expect((await owner.get("lifecycle-settings")).body).toEqual(changed);
  });
});
