import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createTestUser, refused } from "@/lib/testing/factories";

// Demo mode is what the start script turns on for the embedded database.
process.env.WARRANT_DEMO = "1";
const { createDemoSession, listDemoUsers } = await import("./demo");

let seeded: { id: string };
let viaSso: { id: string };

beforeAll(async () => {
  seeded = (await createTestUser(["ADMIN"])).user;
  // Someone who signed in through SSO once: Auth.js linked an Account to them.
  viaSso = (await createTestUser(["SECURITY_LEAD"])).user;
  await prisma.account.create({ data: { userId: viaSso.id, type: "oidc", provider: "oidc", providerAccountId: "sub-lead-1" } });
});

describe("demo sign-in", () => {
  it("lists seeded people but never someone who signs in with SSO", async () => {
    const ids = (await listDemoUsers()).map((user) => user.id);
    expect(ids).toContain(seeded.id);
    expect(ids).not.toContain(viaSso.id);
  });

  it("refuses, on the server, a demo session for someone who signs in with SSO, and creates none", async () => {
    const sessionsBefore = await prisma.session.count({ where: { userId: viaSso.id } });
    const error = await refused(createDemoSession(viaSso.id));
    expect(error.code).toBe("not_found");
    expect(error.message).toMatch(/single sign-on/);
    expect(await prisma.session.count({ where: { userId: viaSso.id } })).toBe(sessionsBefore);
  });

  it("gives a seeded person a real session", async () => {
    const { sessionToken } = await createDemoSession(seeded.id);
    expect(await prisma.session.findUnique({ where: { sessionToken } })).toMatchObject({ userId: seeded.id });
  });
});
