import { beforeAll, describe, expect, it } from "vitest";
import { issueAgentToken } from "@/lib/auth/agent";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { createIdentity } from "@/lib/inventory/identities";
import { apiAs } from "@/lib/testing/api-client";
import { createTestToken, createTestUser, systemActor } from "@/lib/testing/factories";
import { routeFetch } from "@/lib/testing/route-fetch";
import { DAY_MS } from "@/lib/time";
import { createWarrantClient, WarrantError, type WarrantClient } from "./warrant-client";

// The typed client an agent or gateway uses, against the real routes.

let client: WarrantClient;
let docsId: string;
let lead: ReturnType<typeof apiAs>;

beforeAll(async () => {
  const owner = await createTestUser();
  lead = apiAs(await createTestToken((await createTestUser(["SECURITY_LEAD"])).user.email));
  const identity = await executeMutation(createIdentity, systemActor, {
    name: "client-agent",
    kind: "CODING_AGENT",
    purpose: "Exercises the client",
    environment: "PROD",
    autonomy: "EXECUTE",
    ownerId: owner.user.id,
    expiresAt: new Date(Date.now() + 60 * DAY_MS).toISOString(),
  });
  await prisma.aiIdentity.update({ where: { id: identity.id }, data: { status: "ACTIVE" } });
  const { secret } = await executeMutation(issueAgentToken, systemActor, { identityId: identity.id, label: "client" });
  client = createWarrantClient({ baseUrl: "http://warrant.test", token: secret, fetch: routeFetch });
  docsId = (await prisma.system.create({ data: { name: "client-docs", kind: "REPOSITORY", environment: "PROD", sensitivity: "INTERNAL" } }))
    .id;
});

describe("the Warrant client", () => {
  it("authorizes, waits for a bound approval and retries the approved call", async () => {
    expect(
      (await client.authorize({ action: "call_tool", tool: { name: "Read", arguments: { file_path: "/srv/app/README.md" } } })).outcome,
    ).toBe("allow");
    const destroy = { action: "call_tool", tool: { name: "Bash", arguments: { command: "terraform destroy -auto-approve" } } } as const;
    const asked = await client.authorize(destroy);
    expect(asked.outcome).toBe("require_approval");
    const requestId = asked.approvalRequest!.id;
    expect(await client.approvalState(requestId)).toMatchObject({ status: "PENDING", retry: false });
    expect((await lead.post("approval-requests/[id]/approve", {}, { id: requestId })).status).toBe(200);
    expect(await client.approvalState(requestId, 30)).toMatchObject({ status: "APPLIED", retry: true });
    expect(await client.authorize(destroy)).toMatchObject({ outcome: "allow", approvedBy: { approvalRequestId: requestId } });
  });

  it("asks for just-in-time access, acts with the token, reports it, and ends it", async () => {
    const access = await client.requestAccess({ systemId: docsId, actions: ["write"], taskIntent: "Fix the typo", ttlMinutes: 5 });
    expect(access).toMatchObject({ status: "issued", token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/) });
    const scoped = createWarrantClient({ baseUrl: "http://warrant.test", token: access.token!, fetch: routeFetch });
    const decision = await scoped.authorize({ action: "write", systemId: docsId });
    expect(decision.outcome).toBe("allow");
    const reported = await scoped.reportEvents([
      { kind: "privileged_action", action: "write", systemId: docsId, decisionId: decision.decisionId },
    ]);
    expect(reported).toMatchObject({ count: 1, flags: [] });
    expect(await client.completeAccess(access.id)).toMatchObject({ status: "completed" });
    await expect(scoped.authorize({ action: "write", systemId: docsId })).rejects.toMatchObject({ status: 401 });
  });

  it("throws Warrant's errors with their status, code and fields", async () => {
    const error = await client.authorize({ action: "read", systemId: "" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WarrantError);
    expect(error).toMatchObject({ status: 422, code: "validation_failed", fields: { systemId: "is required" } });
    const stranger = createWarrantClient({ baseUrl: "http://warrant.test", token: "wai_unknown", fetch: routeFetch });
    await expect(stranger.authorize({ action: "read", systemId: "x" })).rejects.toMatchObject({ status: 401, code: "unauthenticated" });
  });
});
