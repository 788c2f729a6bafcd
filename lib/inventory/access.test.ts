import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { seedDemoDataOnce } from "@/lib/demo/seed";
import { AppError } from "@/lib/errors";
import { lockIdentity } from "./access";

// lockIdentity reads the row in the same statement that locks it: it must
// give what Prisma's own read gives, and what was committed while it waited.

beforeAll(async () => {
  await seedDemoDataOnce(prisma);
});

describe("lockIdentity", () => {
  it("returns every column as Prisma reads it (enums, JSON, dates and the copied credential dates)", async () => {
    const identities = await prisma.aiIdentity.findMany({ orderBy: { id: "asc" } });
    expect(identities.some((identity) => identity.credentialIssuedAt.length > 1)).toBe(true);
    expect(identities.some((identity) => Array.isArray(identity.riskReasons) && identity.riskReasons.length > 0)).toBe(true);
    const locked = await prisma.$transaction(async (tx) => Promise.all(identities.map((identity) => lockIdentity(tx, identity.id))));
    expect(locked).toEqual(identities);
  });

  it("waits for a transaction holding the row and returns what it committed", async () => {
    const identity = await prisma.aiIdentity.findFirstOrThrow({ where: { status: "ACTIVE" }, orderBy: { id: "asc" } });
    let release!: () => void;
    const holding = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const writer = prisma.$transaction(async (tx) => {
      await lockIdentity(tx, identity.id);
      await tx.aiIdentity.update({ where: { id: identity.id }, data: { purpose: `${identity.purpose} (changed while locked)` } });
      locked();
      await holding;
    });
    await isLocked;
    const reader = prisma.$transaction(async (tx) => lockIdentity(tx, identity.id));
    const raced = await Promise.race([reader.then(() => "read"), new Promise((resolve) => setTimeout(() => resolve("waiting"), 300))]);
    release();
    await writer;
    expect(raced).toBe("waiting");
    expect((await reader).purpose).toBe(`${identity.purpose} (changed while locked)`);
    await prisma.aiIdentity.update({ where: { id: identity.id }, data: { purpose: identity.purpose } });
  });

  it("says the identity does not exist", async () => {
    await expect(prisma.$transaction((tx) => lockIdentity(tx, "no-such-identity"))).rejects.toThrow(AppError);
  });
});
