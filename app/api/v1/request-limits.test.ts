import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { executeMutation } from "@/lib/auth/mutation";
import { createSystem } from "@/lib/inventory/systems";
import { countRows, createTestToken, createTestUser, refused } from "@/lib/testing/factories";
import type { Actor } from "@/lib/auth/actor";

// Bodies and fields have upper bounds, checked before anything expensive
// (JSON parsing, the secret patterns, zod) looks at them.

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

let adminToken: string;
let admin: Actor;

beforeAll(async () => {
  const created = await createTestUser(["ADMIN"]);
  admin = created.actor;
  adminToken = await createTestToken(created.user.email);
});

async function postSystems(body: BodyInit, headers: Record<string, string> = {}) {
  const { POST } = (await import(path.resolve("app/api/v1/systems/route.ts"))) as Record<string, Handler>;
  const request = new Request("http://localhost/api/v1/systems", {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json", ...headers },
    body,
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
  const response = await POST!(request, { params: Promise.resolve({}) });
  return {
    status: response.status,
    body: (await response.json()) as { error: { code: string; message: string; fields?: Record<string, string> } },
  };
}

const system = { name: "limits-system", kind: "REPOSITORY", environment: "DEV", sensitivity: "INTERNAL" };

describe("a request body over the limit", () => {
  it("is refused with 413 payload_too_large, and nothing is written", async () => {
    const before = await countRows();
    const { status, body } = await postSystems(JSON.stringify({ ...system, description: "x".repeat(2 * 1024 * 1024) }));
    expect(status).toBe(413);
    expect(body.error.code).toBe("payload_too_large");
    expect(body.error.message).toMatch(/at most 1 MiB/);
    expect(await countRows()).toEqual(before);
  });

  it("is refused when it arrives in chunks without a length", async () => {
    const chunk = new TextEncoder().encode(`"${"y".repeat(64 * 1024)}",`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"tags":['));
        // Endless: the reader must stop on its own once the limit is passed.
        controller.enqueue(chunk);
        sent += 1;
      },
    });
    const { status, body } = await postSystems(stream);
    expect(status).toBe(413);
    expect(body.error.code).toBe("payload_too_large");
    expect(sent).toBeLessThan(64);
  });

  it("is refused by its declared length before it is read", async () => {
    const { status } = await postSystems(JSON.stringify(system), { "content-length": String(5 * 1024 * 1024) });
    expect(status).toBe(413);
  });
});

describe("a field longer than any schema allows", () => {
  it("is refused with 422 naming it, for the API and for every other caller of a mutation (forms, CLI)", async () => {
    const long = `${"eyJ-".repeat(5_000)}`;
    const { status, body } = await postSystems(JSON.stringify({ ...system, description: long }));
    expect(status).toBe(422);
    expect(body.error.fields).toEqual({ description: "is too long: at most 10,000 characters" });

    const error = await refused(executeMutation(createSystem, admin, { ...system, name: long }));
    expect(error.fields).toEqual({ name: "is too long: at most 10,000 characters" });
  });
});
