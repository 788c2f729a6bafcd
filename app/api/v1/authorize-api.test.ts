import { beforeAll, describe, expect, it } from "vitest";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { createGrant } from "@/lib/inventory/grants";
import { createSystem } from "@/lib/inventory/systems";
import { apiAs, type ApiBody } from "@/lib/testing/api-client";
import { createActiveTestIdentity, createTestToken, createTestUser, switchOffApprovals, systemActor } from "@/lib/testing/factories";

// An AI identity asks Warrant before it acts, with its own agent token: the
// token is issued by the identity's owner, shows in the inventory as a
// credential, and stops working when that credential is revoked or the
// identity is suspended. People's API tokens are not accepted here.

let owner: ReturnType<typeof apiAs>;
let stranger: ReturnType<typeof apiAs>;
let repo: { id: string };
let counter = 0;

async function activeAgent() {
  counter += 1;
  const identity = await createActiveTestIdentity(ownerId, { name: `hooked-agent-${counter}`, environment: "PROD" });
  return identity;
}

let ownerId: string;

async function issueToken(identityId: string, body: Record<string, unknown> = {}) {
  const issued = await owner.post("identities/[id]/agent-tokens", { label: "CI runner", ...body }, { id: identityId });
  expect(issued.status).toBe(201);
  return issued.body as { secret: string; credentialId: string; expiresAt: string };
}

beforeAll(async () => {
  await switchOffApprovals();
  const ownerUser = await createTestUser();
  ownerId = ownerUser.user.id;
  owner = apiAs(await createTestToken(ownerUser.user.email));
  stranger = apiAs(await createTestToken((await createTestUser()).user.email));
  repo = await executeMutation(createSystem, systemActor, {
    name: "api-repo",
    kind: "REPOSITORY",
    environment: "PROD",
    sensitivity: "CONFIDENTIAL",
  });
});

describe("agent tokens", () => {
  it("are issued by the identity's owner, shown once, and listed in the inventory as a credential", async () => {
    const identity = await activeAgent();
    const refusedToStranger = await stranger.post("identities/[id]/agent-tokens", { label: "x" }, { id: identity.id });
    expect(refusedToStranger.status).toBe(403);

    const issued = await issueToken(identity.id, { expiresInDays: 7 });
    expect(issued.secret).toMatch(/^wai_/);
    const shown = await owner.get("identities/[id]", { id: identity.id });
    const credential = (shown.body.credentials as ApiBody[]).find((item) => item.id === issued.credentialId);
    expect(credential).toMatchObject({ type: "API_KEY", label: "CI runner", status: "ACTIVE" });
    expect(JSON.stringify(shown.body)).not.toContain(issued.secret);
    expect(JSON.stringify(shown.body)).not.toContain("secretHash");
  });

  it("refuse bad input by field, and tokens longer-lived than the approval threshold", async () => {
    const identity = await activeAgent();
    const bad = await owner.post("identities/[id]/agent-tokens", { label: "", expiresInDays: 0 }, { id: identity.id });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields).toEqual({ label: "is required", expiresInDays: "must be at least 1 day" });
    const tooLong = await owner.post("identities/[id]/agent-tokens", { label: "forever", expiresInDays: 365 }, { id: identity.id });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.error.fields.expiresInDays).toMatch(/^must (be at most|end by)/);
    expect(await prisma.credential.count({ where: { identityId: identity.id } })).toBe(0);
  });
});

describe("POST /api/v1/authorize", () => {
  it("answers an identity's request with its agent token and stores the decision", async () => {
    const identity = await activeAgent();
    await executeMutation(createGrant, systemActor, { identityId: identity.id, systemId: repo.id, permission: "READ" });
    const { secret } = await issueToken(identity.id);
    const agent = apiAs(secret);

    const read = await agent.post("authorize", { action: "read", systemId: repo.id, taskId: "T-1", taskIntent: "Read the build log" });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ outcome: "allow", decisionId: expect.any(String) });
    const write = await agent.post("authorize", { action: "write", systemId: repo.id });
    expect(write.body).toMatchObject({ outcome: "deny", policyIds: ["grant-required"] });

    const stored = await prisma.policyDecision.findMany({ where: { identityId: identity.id }, orderBy: { createdAt: "asc" } });
    expect(stored.map((decision) => [decision.action, decision.outcome, decision.taskId])).toEqual([
      ["read", "ALLOW", "T-1"],
      ["write", "DENY", null],
    ]);
  });

  it("names the field of a bad request and stores nothing", async () => {
    const identity = await activeAgent();
    const agent = apiAs((await issueToken(identity.id)).secret);
    const bad = await agent.post("authorize", { action: "read" });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields).toEqual({ systemId: "is required" });
    expect(await prisma.policyDecision.count({ where: { identityId: identity.id } })).toBe(0);
  });

  it("refuses a NUL character anywhere in a runtime request, naming the field, and stores nothing", async () => {
    const identity = await activeAgent();
    const agent = apiAs((await issueToken(identity.id)).secret);
    const nul = "rm -rf build\u0000/";
    const tool = await agent.post("authorize", { action: "call_tool", tool: { name: "Bash", arguments: { command: nul } } });
    expect(tool.status).toBe(422);
    expect(tool.body.error.fields).toEqual({ "tool.arguments.command": "must not contain a NUL character (\\u0000)" });
    const intent = await agent.post("authorize", { action: "read", systemId: repo.id, taskIntent: "a\u0000b" });
    expect(intent.body.error.fields).toEqual({ taskIntent: "must not contain a NUL character (\\u0000)" });
    const events = await agent.post("events", { kind: "tool_call", tool: "Bash", detail: { note: "a\u0000b" } });
    expect(events.body.error.fields).toEqual({ "detail.note": "must not contain a NUL character (\\u0000)" });
    const hook = await agent.post("hooks/claude-code/pre-tool-use", {
      session_id: "s-1",
      tool_name: "Bash",
      tool_input: { command: nul },
    });
    expect(hook.status).toBe(200);
    expect(hook.body.hookSpecificOutput).toMatchObject({ permissionDecision: "deny" });
    expect(hook.body.hookSpecificOutput.permissionDecisionReason).toMatch(/tool_input\.command must not contain a NUL character/);
    expect(await prisma.policyDecision.count({ where: { identityId: identity.id } })).toBe(0);
  });

  it("refuses missing, made-up and people's tokens, revoked credentials and suspended identities (401)", async () => {
    const identity = await activeAgent();
    const { secret, credentialId } = await issueToken(identity.id);
    const request = { action: "read", systemId: repo.id };

    expect((await apiAs(undefined).post("authorize", request)).status).toBe(401);
    expect((await apiAs("wai_made-up").post("authorize", request)).status).toBe(401);
    const person = await owner.post("authorize", request);
    expect(person.status).toBe(401);
    expect(person.body.error.message).toMatch(/agent token/);

    expect((await apiAs(secret).post("authorize", request)).status).toBe(200);
    expect((await owner.post("credentials/[id]/revoke", {}, { id: credentialId })).status).toBe(200);
    expect((await apiAs(secret).post("authorize", request)).status).toBe(401);

    const other = await activeAgent();
    const second = (await issueToken(other.id)).secret;
    expect((await owner.post("identities/[id]/suspend", { reason: "Investigating" }, { id: other.id })).status).toBe(200);
    expect((await apiAs(second).post("authorize", request)).status).toBe(401);
  });
});
