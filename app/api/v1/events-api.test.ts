import { beforeAll, describe, expect, it } from "vitest";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { createSystem } from "@/lib/inventory/systems";
import { apiAs, type ApiBody } from "@/lib/testing/api-client";
import { createActiveTestIdentity, createTestToken, createTestUser, switchOffApprovals, systemActor } from "@/lib/testing/factories";

// An AI identity reports what it did with its own agent token: tool calls are
// stored in the activity chain, linked to the decision that allowed them, and
// flagged when nothing allowed them.

let owner: ReturnType<typeof apiAs>;
let ownerId: string;
let prodRepo: { id: string };
let counter = 0;

async function agentWithToken() {
  counter += 1;
  const identity = await createActiveTestIdentity(ownerId, { name: `reporting-agent-${counter}`, environment: "DEV" });
  const issued = await owner.post("identities/[id]/agent-tokens", { label: "laptop" }, { id: identity.id });
  expect(issued.status).toBe(201);
  return { identity, ...(issued.body as { secret: string; credentialId: string }) };
}

beforeAll(async () => {
  await switchOffApprovals();
  const ownerUser = await createTestUser();
  ownerId = ownerUser.user.id;
  owner = apiAs(await createTestToken(ownerUser.user.email));
  prodRepo = await executeMutation(createSystem, systemActor, {
    name: "events-prod-repo",
    kind: "REPOSITORY",
    environment: "PROD",
    sensitivity: "CONFIDENTIAL",
  });
});

describe("POST /api/v1/events", () => {
  it("stores a tool call the identity was allowed, linked to its decision and credential, with no flag", async () => {
    const { identity, secret, credentialId } = await agentWithToken();
    const agent = apiAs(secret);
    const call = { name: "Read", arguments: { file_path: "src/index.ts" } };
    const decision = await agent.post("authorize", { action: "call_tool", tool: call });
    expect(decision.body.outcome).toBe("allow");

    const answer = await agent.post("events", {
      kind: "tool_call",
      tool: call.name,
      arguments: call.arguments,
      decisionId: decision.body.decisionId,
      result: "success",
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ count: 1, seqs: [expect.stringMatching(/^\d+$/)], flags: [] });
    const stored = await prisma.activityEvent.findFirstOrThrow({ where: { seq: BigInt((answer.body.seqs as string[])[0]!) } });
    expect(stored).toMatchObject({
      identityId: identity.id,
      kind: "TOOL_CALL",
      decisionId: decision.body.decisionId,
      credentialKind: "api_token",
      credentialId,
    });
  });

  it("answers a batch with the flags raised, by event index", async () => {
    const { secret } = await agentWithToken();
    const answer = await apiAs(secret).post("events", {
      events: [
        { kind: "tool_call", tool: "Bash", arguments: { command: "ls" } },
        { kind: "token_use", action: "read", systemId: prodRepo.id },
      ],
    });
    expect(answer.status).toBe(201);
    expect(answer.body.count).toBe(2);
    expect((answer.body.flags as ApiBody[]).map((flag) => [flag.index, flag.kind])).toEqual([
      [0, "NO_ALLOWING_DECISION"],
      [1, "NOT_GRANTED"],
      [1, "OUTSIDE_ENVIRONMENT"],
    ]);
  });

  it("refuses a bad batch whole (422 naming event and field)", async () => {
    const { identity, secret } = await agentWithToken();
    const answer = await apiAs(secret).post("events", { events: [{ kind: "tool_call", tool: "Read" }, { kind: "tool_call" }] });
    expect(answer.status).toBe(422);
    expect(answer.body.error.fields).toEqual({ "events.1.tool": "is required for a tool_call" });
    expect(await prisma.activityEvent.count({ where: { identityId: identity.id } })).toBe(0);
  });

  it("refuses missing and made-up tokens, people's API tokens and a revoked agent token (401)", async () => {
    const { identity, secret, credentialId } = await agentWithToken();
    const event = { kind: "token_use" };
    expect((await apiAs(undefined).post("events", event)).status).toBe(401);
    expect((await apiAs("wai_made-up").post("events", event)).status).toBe(401);
    expect((await owner.post("events", event)).status).toBe(401);
    expect((await apiAs(secret).post("events", event)).status).toBe(201);
    expect((await owner.post("credentials/[id]/revoke", {}, { id: credentialId })).status).toBe(200);
    expect((await apiAs(secret).post("events", event)).status).toBe(401);
    expect(await prisma.activityEvent.count({ where: { identityId: identity.id } })).toBe(1);
  });
});
