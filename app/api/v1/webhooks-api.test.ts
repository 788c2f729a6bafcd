import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { apiAs } from "@/lib/testing/api-client";
import { createTestToken, createTestUser } from "@/lib/testing/factories";

// Webhooks over HTTP: the real route handlers, checking what a client sees.

let admin: ReturnType<typeof apiAs>;
let lead: ReturnType<typeof apiAs>;

beforeAll(async () => {
  admin = apiAs(await createTestToken((await createTestUser(["ADMIN"])).user.email));
  lead = apiAs(await createTestToken((await createTestUser(["SECURITY_LEAD"])).user.email));
});

describe("/api/v1/webhooks", () => {
  it("creates a webhook and returns its secret once; lists never show a secret; deactivate and delete", async () => {
    const created = await admin.post("webhooks", {
      name: "chatops",
      url: "https://chat.example.com/hooks/warrant",
      format: "SLACK",
      events: ["approval.*"],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "chatops",
      format: "SLACK",
      events: ["approval.*"],
      secret: expect.stringMatching(/^whsec_/),
    });

    const listed = await admin.get("webhooks");
    expect(listed.status).toBe(200);
    expect(listed.body.webhooks).toEqual([
      expect.objectContaining({ id: created.body.id, name: "chatops", url: "https://chat.example.com/hooks/warrant", active: true }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);

    expect((await admin.post("webhooks/[id]/deactivate", {}, { id: created.body.id })).status).toBe(200);
    const again = await admin.post("webhooks/[id]/deactivate", {}, { id: created.body.id });
    expect(again).toMatchObject({ status: 409, body: { error: { code: "conflict" } } });
    expect((await admin.get("webhooks")).body.webhooks[0]).toMatchObject({ active: false });

    expect((await admin.post("webhooks/[id]/delete", {}, { id: created.body.id })).status).toBe(200);
    expect((await admin.get("webhooks")).body.webhooks).toEqual([]);
    expect((await admin.post("webhooks/[id]/delete", {}, { id: created.body.id })).status).toBe(404);
  });

  it("names the bad field and stores nothing", async () => {
    const before = await prisma.webhook.count();
    const refused = await admin.post("webhooks", { name: "x", url: "file:///etc/passwd" });
    expect(refused).toMatchObject({
      status: 422,
      body: { error: { code: "validation_failed", fields: { url: "must start with https:// or http://" } } },
    });
    expect(await prisma.webhook.count()).toBe(before);
  });

  it("is for admins only", async () => {
    expect((await lead.get("webhooks")).status).toBe(403);
    expect((await lead.post("webhooks", { name: "x", url: "https://example.com/h" })).status).toBe(403);
  });
});
