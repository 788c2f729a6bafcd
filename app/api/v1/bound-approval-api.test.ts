import { beforeAll, describe, expect, it } from "vitest";
import { issueAgentToken } from "@/lib/auth/agent";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { apiAs, type ApiBody } from "@/lib/testing/api-client";
import { createActiveTestIdentity, createTestToken, createTestUser, systemActor } from "@/lib/testing/factories";

// A tool call the policies send to a human becomes an approval request bound
// to that exact call. Once a security lead approves it, the identical call is
// allowed once; a call that differs in any argument, or the same call a
// second time, asks again. The agent waits on the request with its own token.

let owner: ReturnType<typeof apiAs>;
let lead: ReturnType<typeof apiAs>;
let ownerId: string;
let counter = 0;

async function agentWithToken() {
  counter += 1;
  const identity = await createActiveTestIdentity(ownerId, { name: `bound-agent-${counter}`, environment: "PROD" });
  const { secret } = await executeMutation(issueAgentToken, systemActor, { identityId: identity.id, label: "runner" });
  return { identity, agent: apiAs(secret) };
}

const forcePush = (branch: string) => ({
  action: "call_tool",
  tool: { name: "Bash", arguments: { command: `git push --force origin ${branch}`, description: "Publish the rebased branch" } },
  taskId: "REL-7",
  taskIntent: "Publish the release branch after the rebase",
});

beforeAll(async () => {
  const ownerUser = await createTestUser();
  ownerId = ownerUser.user.id;
  owner = apiAs(await createTestToken(ownerUser.user.email));
  lead = apiAs(await createTestToken((await createTestUser(["SECURITY_LEAD"])).user.email));
});

describe("approval of one exact call", () => {
  it("asks once, lets the approved call through once, and asks again for anything else", async () => {
    const { identity, agent } = await agentWithToken();

    const asked = await agent.post("authorize", forcePush("main"));
    expect(asked.status).toBe(200);
    expect(asked.body).toMatchObject({
      outcome: "require_approval",
      policyIds: ["destructive-shell-needs-approval"],
      approvalRequest: { status: "PENDING", catalogKey: "runtime.call", link: expect.stringMatching(/^\/approvals\//) },
    });
    const requestId = asked.body.approvalRequest.id as string;
    expect(asked.body.approvalRequest.summary).toBe(`${identity.name} asks to Bash: git push --force origin main`);

    // Asking again while it waits points at the same request.
    const again = await agent.post("authorize", forcePush("main"));
    expect(again.body).toMatchObject({ outcome: "require_approval", approvalRequest: { id: requestId } });

    // The approver sees the exact arguments; the owner, as requester, cannot approve their own agent's call.
    const shown = await lead.get("approval-requests/[id]", { id: requestId });
    expect(JSON.stringify(shown.body)).toContain("git push --force origin main");
    expect((await owner.post("approval-requests/[id]/approve", {}, { id: requestId })).status).toBe(403);

    const waiting = await agent.get("approval-requests/[id]", { id: requestId });
    expect(waiting.body).toMatchObject({ id: requestId, status: "PENDING", retry: false });
    expect((await lead.post("approval-requests/[id]/approve", { comment: "Release rebase" }, { id: requestId })).status).toBe(200);
    expect((await agent.get("approval-requests/[id]", { id: requestId }, "wait=30")).body, "outcome").toMatchObject({
      status: "APPLIED",
      retry: true,
    });

    // A different argument is not what was approved.
    const otherBranch = await agent.post("authorize", forcePush("release"));
    expect(otherBranch.body.outcome).toBe("require_approval");
    expect(otherBranch.body.approvalRequest.id).not.toBe(requestId);

    const allowed = await agent.post("authorize", forcePush("main"));
    expect(allowed.body).toMatchObject({ outcome: "allow", approvedBy: { approvalRequestId: requestId } });
    const decision = await prisma.policyDecision.findUniqueOrThrow({ where: { id: allowed.body.decisionId as string } });
    expect(decision).toMatchObject({ outcome: "ALLOW", humanApproved: true, approvalRequestId: requestId });

    // Used up: the same call a second time needs a new approval.
    const twice = await agent.post("authorize", forcePush("main"));
    expect(twice.body.outcome).toBe("require_approval");
    expect(twice.body.approvalRequest.id).not.toBe(requestId);
  });

  it("stores no secret from a call: the policies judge it as sent, the approval binds it, every stored copy is redacted", async () => {
    const { identity, agent } = await agentWithToken();
    // Built at run time so no token-shaped literal sits in the repository for scanners to flag.
    const token = `ghp_${"Zq7Xw2Lk9P".repeat(4)}`;
    const call = {
      action: "call_tool",
      tool: { name: "Bash", arguments: { command: `git push --force https://ci:${token}@github.com/acme/app main` } },
      taskIntent: `Publish with ${token}`,
    };
    const asked = await agent.post("authorize", call);
    // The destructive pattern still matched: the policies saw the command as sent.
    expect(asked.body).toMatchObject({ outcome: "require_approval", policyIds: ["destructive-shell-needs-approval"] });
    const requestId = asked.body.approvalRequest.id as string;
    expect(asked.body.approvalRequest.summary).toBe(
      `${identity.name} asks to Bash: git push --force https://ci:[redacted: GitHub token]@github.com/acme/app main`,
    );
    expect((await lead.post("approval-requests/[id]/approve", {}, { id: requestId })).status).toBe(200);
    // The approval binds the call as sent (its hash), token and all.
    expect((await agent.post("authorize", call)).body).toMatchObject({ outcome: "allow", approvedBy: { approvalRequestId: requestId } });

    const stored = JSON.stringify(
      [
        await prisma.policyDecision.findMany({ where: { identityId: identity.id } }),
        await prisma.approvalRequest.findMany({ where: { identityId: identity.id } }),
        await prisma.auditEvent.findMany({ where: { targetId: identity.id } }),
        await prisma.notificationMessage.findMany({ where: { link: `/approvals/${requestId}` } }),
      ],
      (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value),
    );
    expect(stored).toContain("[redacted: GitHub token]");
    expect(stored).not.toContain(token);
    expect(stored).not.toContain("Zq7Xw2Lk9P");
  });

  it("shows an agent only the requests for its own calls", async () => {
    const first = await agentWithToken();
    const second = await agentWithToken();
    const asked = await first.agent.post("authorize", forcePush("main"));
    const requestId = asked.body.approvalRequest.id as string;
    expect((await second.agent.get("approval-requests/[id]", { id: requestId })).status).toBe(404);
    const badWait = await first.agent.get("approval-requests/[id]", { id: requestId }, "wait=31");
    expect(badWait.status).toBe(422);
    expect((badWait.body as ApiBody).error.fields).toEqual({ wait: "must be at most 30 seconds" });
  });
});
