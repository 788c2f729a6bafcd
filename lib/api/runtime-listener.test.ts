import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueAgentToken } from "@/lib/auth/agent";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { createActiveTestIdentity, createTestUser, systemActor } from "@/lib/testing/factories";
import { answerRuntimeRequest } from "./runtime-listener";
import { MAX_API_BODY_BYTES } from "./http";

// The production server answers the runtime endpoints itself, before Next's
// router (scripts/server.ts). Over real HTTP, with Next replaced by a
// stand-in that says it was asked: the runtime paths are answered as the route
// handlers answer them, with the API's headers, and everything else is left
// to Next untouched.

let server: Server;
let base: string;
let secret: string;
let identityId: string;

beforeAll(async () => {
  const identity = await createActiveTestIdentity((await createTestUser()).user.id, { name: "listener-agent" });
  identityId = identity.id;
  secret = (await executeMutation(issueAgentToken, systemActor, { identityId, label: "listener" })).secret;

  server = createServer((request, response) => {
    if (answerRuntimeRequest(request, response)) return;
    response.writeHead(404, { "content-type": "text/plain" }).end("answered by Next");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const post = (path: string, body: string | undefined, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: "POST", headers: { authorization: `Bearer ${secret}`, ...headers }, body });

const READ_CALL = JSON.stringify({
  action: "call_tool",
  tool: { name: "Read", arguments: { file_path: "src/app.ts" } },
  callId: "toolu_1",
});

describe("the runtime listener", () => {
  it("answers authorize itself, stores the decision, and sends the API's security headers", async () => {
    const response = await post("/api/v1/authorize", READ_CALL, { "content-type": "application/json" });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { decisionId: string; outcome: string; policyIds: string[] };
    expect(answer.outcome).toBe("allow");
    const stored = await prisma.policyDecision.findUniqueOrThrow({ where: { id: answer.decisionId } });
    expect(stored).toMatchObject({ identityId, action: "call_tool", resourceId: "Read", outcome: "ALLOW", callId: "toolu_1" });
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
  });

  it("stores every decision of a burst, each under its own id", async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, async (_, index) => {
        const body = JSON.stringify({ action: "call_tool", tool: { name: "Bash", arguments: { command: `npm test -- ${index}` } } });
        const response = await post("/api/v1/authorize", body);
        expect(response.status).toBe(200);
        return ((await response.json()) as { decisionId: string }).decisionId;
      }),
    );
    expect(new Set(answers).size).toBe(40);
    expect(await prisma.policyDecision.count({ where: { id: { in: answers }, identityId } })).toBe(40);
  });

  it("answers Claude Code's hooks and the events endpoint too", async () => {
    const pre = await post(
      "/api/v1/hooks/claude-code/pre-tool-use",
      JSON.stringify({
        session_id: "s-1",
        cwd: "/repo",
        hook_event_name: "PreToolUse",
        tool_name: "Read",
        tool_input: { file_path: "README.md" },
        tool_use_id: "toolu_2",
      }),
    );
    expect(pre.status).toBe(200);
    expect(await pre.json()).toMatchObject({ hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: "allow" } });
    const events = await post("/api/v1/events", JSON.stringify({ kind: "tool_call", tool: "Read", occurredAt: new Date().toISOString() }));
    expect(events.status).toBe(201);
  });

  it("answers errors in the API's shape: no token, a malformed body, a body over the limit with or without its length", async () => {
    const anonymous = await fetch(`${base}/api/v1/authorize`, { method: "POST", body: READ_CALL });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe("unauthenticated");

    const malformed = await post("/api/v1/authorize", "{not json");
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: { code: "bad_request", message: "The request body must be a JSON object." } });

    const huge = "x".repeat(MAX_API_BODY_BYTES + 10);
    const declared = await post("/api/v1/authorize", huge);
    expect(declared.status).toBe(413);
    // Streamed in chunks with no declared length: read up to the limit, refused, and the connection closed.
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(
        `${base}/api/v1/authorize`,
        { method: "POST", headers: { authorization: `Bearer ${secret}` } },
        (response) => {
          let body = "";
          response.on("data", (chunk: Buffer) => (body += chunk.toString()));
          response.on("end", () => resolve({ status: response.statusCode!, body }));
        },
      );
      request.on("error", reject);
      for (let sent = 0; sent <= MAX_API_BODY_BYTES; sent += 64 * 1024) request.write("x".repeat(64 * 1024));
      request.end();
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toMatchObject({ error: { code: "payload_too_large" } });
  });

  it("ignores a query string, and leaves every other method and path to Next", async () => {
    expect((await post("/api/v1/authorize?trace=1", READ_CALL)).status).toBe(200);
    for (const [method, path] of [
      ["GET", "/api/v1/authorize"],
      ["POST", "/api/v1/authorize/"],
      ["POST", "/api/v1/authorizex"],
      ["POST", "/api/v1/identities"],
      ["POST", "/api/v1/hooks/claude-code"],
      ["POST", "/api/v1/constructor"],
      ["GET", "/"],
    ] as const) {
      const response = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${secret}` } });
      expect(await response.text(), `${method} ${path}`).toBe("answered by Next");
    }
  });
});
