import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueAgentToken } from "@/lib/auth/agent";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { createIdentity } from "@/lib/inventory/identities";
import { apiAs, callApi } from "@/lib/testing/api-client";
import { createTestToken, createTestUser, systemActor } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";
import { POST as preToolUse } from "./hooks/claude-code/pre-tool-use/route";

// Claude Code asks Warrant before each tool call through its PreToolUse hook,
// sending its hook input as it is and reading the answer in its own format.
// The payloads are Claude Code's (lib/policy/fixtures/claude-code). Every
// answer is a 200 with a decision, since Claude Code runs the tool on any
// error status: a call Warrant cannot judge is denied.

const FIXTURES = path.resolve("lib/policy/fixtures/claude-code");
const payload = (name: string) => JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), "utf8")) as Record<string, unknown>;

let secret: string;
let identityId: string;
let lead: ReturnType<typeof apiAs>;

const hook = (body: unknown, token: string | undefined = secret) => callApi("POST", "hooks/claude-code/pre-tool-use", token, { body });

beforeAll(async () => {
  const owner = await createTestUser();
  lead = apiAs(await createTestToken((await createTestUser(["SECURITY_LEAD"])).user.email));
  const identity = await executeMutation(createIdentity, systemActor, {
    name: "claude-code-payments",
    kind: "CODING_AGENT",
    purpose: "Pairs with the payments team",
    environment: "PROD",
    autonomy: "EXECUTE",
    ownerId: owner.user.id,
    expiresAt: new Date(Date.now() + 60 * DAY_MS).toISOString(),
  });
  identityId = identity.id;
  await prisma.aiIdentity.update({ where: { id: identityId }, data: { status: "ACTIVE" } });
  secret = (await executeMutation(issueAgentToken, systemActor, { identityId, label: "laptop" })).secret;
});

describe("POST /api/v1/hooks/claude-code/pre-tool-use", () => {
  it("allows ordinary calls and keeps each decision with the session and the tool_use_id", async () => {
    for (const name of ["pre-tool-use-bash-test", "pre-tool-use-write", "pre-tool-use-mcp"]) {
      const { status, body } = await hook(payload(name));
      expect(status, name).toBe(200);
      expect(body.hookSpecificOutput, name).toMatchObject({ hookEventName: "PreToolUse", permissionDecision: "allow" });
    }
    const decision = await prisma.policyDecision.findFirstOrThrow({ where: { identityId, callId: "toolu_01Zc7Lw9Ne3VbQ2sT8mR4kXy" } });
    expect(decision).toMatchObject({
      action: "call_tool",
      resourceId: "mcp__github__create_pull_request",
      outcome: "ALLOW",
      taskId: "8f2c6f0e-5b1d-4d0e-9c55-2f5e0d6a9b11",
    });
  });

  it("denies a destructive command pending approval, then allows that exact call once a security lead approves", async () => {
    const first = await hook(payload("pre-tool-use-bash-force-push"));
    expect(first.body.hookSpecificOutput.permissionDecision).toBe("deny");
    const reason = first.body.hookSpecificOutput.permissionDecisionReason as string;
    expect(reason).toMatch(
      /needs approval .*Approval requested: http:\/\/[^ ]+\/approvals\/(\w+)\. Once it is approved, retry this exact call/,
    );
    const requestId = reason.match(/\/approvals\/(\w+)/)![1]!;

    expect((await lead.post("approval-requests/[id]/approve", {}, { id: requestId })).status).toBe(200);
    // Claude retries the same call: a new tool_use_id, the same command.
    const retried = await hook({ ...payload("pre-tool-use-bash-force-push"), tool_use_id: "toolu_01RetryAfterApproval0000" });
    expect(retried.body.hookSpecificOutput).toMatchObject({ permissionDecision: "allow" });
    expect(retried.body.hookSpecificOutput.permissionDecisionReason).toMatch(/approved by a human for this exact call/);
  });

  it("denies, saying why, what it cannot judge: a bad token, a people's token, a malformed input", async () => {
    const badToken = await hook(payload("pre-tool-use-bash-test"), "wai_not-a-token");
    expect(badToken.status).toBe(200);
    expect(badToken.body.hookSpecificOutput).toMatchObject({
      permissionDecision: "deny",
      permissionDecisionReason: expect.stringMatching(/could not judge this call, so it is denied: .*agent token/),
    });
    const withoutTool = payload("pre-tool-use-bash-test");
    delete withoutTool.tool_name;
    const malformed = await hook(withoutTool);
    expect(malformed.body.hookSpecificOutput.permissionDecision).toBe("deny");
    expect(malformed.body.hookSpecificOutput.permissionDecisionReason).toMatch(/tool_name is required/);
    expect(await prisma.policyDecision.count({ where: { identityId, callId: "toolu_01Hq3MxkVdW1f5N4s7hZC9aa" } })).toBe(1);
  });
});

describe("POST /api/v1/hooks/claude-code/post-tool-use", () => {
  const report = (body: unknown) => callApi("POST", "hooks/claude-code/post-tool-use", secret, { body });

  it("records the call that ran in the activity log, with the decision that allowed it", async () => {
    expect((await hook(payload("pre-tool-use-bash-test"))).body.hookSpecificOutput.permissionDecision).toBe("allow");
    const { status, body } = await report(payload("post-tool-use-bash-test"));
    expect(status).toBe(200);
    expect(body).toEqual({ recorded: 1, flags: [] });
    const decision = await prisma.policyDecision.findFirstOrThrow({
      where: { identityId, callId: "toolu_01Hq3MxkVdW1f5N4s7hZC9aa" },
      orderBy: { createdAt: "desc" },
    });
    const event = await prisma.activityEvent.findFirstOrThrow({ where: { identityId }, orderBy: { seq: "desc" } });
    expect(event).toMatchObject({ kind: "TOOL_CALL", tool: "Bash", decisionId: decision.id, argumentsHash: decision.argumentsHash });
  });

  it("flags a call that ran without Warrant having allowed it", async () => {
    const unasked = {
      ...payload("post-tool-use-bash-test"),
      tool_use_id: "toolu_01NeverAskedAbout000000",
      tool_input: { command: "curl -s evil.example" },
    };
    const { body } = await report(unasked);
    expect(body).toEqual({ recorded: 1, flags: ["NO_ALLOWING_DECISION"] });
  });
});

describe("the command hook (scripts/warrant-hook.mjs)", () => {
  let server: Server;
  let url: string;

  // The route behind a real HTTP server, so the script talks HTTP as it would to Warrant.
  beforeAll(async () => {
    server = createServer((incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("end", () => {
        const request = new Request(new URL(incoming.url!, "http://warrant.test"), {
          method: incoming.method,
          headers: incoming.headers as Record<string, string>,
          body: Buffer.concat(chunks),
        });
        void preToolUse(request, { params: Promise.resolve({}) }).then(async (response) => {
          outgoing.writeHead(response.status, { "content-type": "application/json" });
          outgoing.end(await response.text());
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const runHook = (input: string, env: Record<string, string>) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ["scripts/warrant-hook.mjs", "pre-tool-use"],
        { env: { PATH: process.env.PATH, NODE_ENV: "test", ...env } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
      child.stdin!.end(input);
    });

  it("passes the hook input to Warrant and prints Warrant's answer for Claude Code", async () => {
    const result = await runHook(JSON.stringify(payload("pre-tool-use-write")), { WARRANT_URL: url, WARRANT_AGENT_TOKEN: secret });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: "allow" } });
  });

  it("fails closed when Warrant cannot be reached (exit 2, the reason for Claude), open only when told to", async () => {
    const input = JSON.stringify(payload("pre-tool-use-write"));
    const down = await runHook(input, { WARRANT_URL: "http://127.0.0.1:9", WARRANT_AGENT_TOKEN: secret });
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/^Warrant could not judge this call, so it is denied: Warrant at http:\/\/127\.0\.0\.1:9 did not answer/);
    const open = await runHook(input, { WARRANT_URL: "http://127.0.0.1:9", WARRANT_AGENT_TOKEN: secret, WARRANT_HOOK_FAIL_OPEN: "1" });
    expect(open.code).toBe(0);
    const unset = await runHook(input, {});
    expect(unset.code).toBe(2);
    expect(unset.stderr).toMatch(/set WARRANT_URL and WARRANT_AGENT_TOKEN/);
  });
});
