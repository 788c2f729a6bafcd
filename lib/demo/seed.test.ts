import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { verifyAuditChain } from "@/lib/audit/verify";
import { describeLoadedDemo } from "@/lib/testing/loaded-demo";
import { DEMO_IDENTITIES, DEMO_USERS, seedDemoDataOnce } from "./seed";

describe("seedDemoDataOnce", () => {
  it("loads the demo organisation once, audited, and never again", async () => {
    expect(await seedDemoDataOnce(prisma)).toBe(true);
    expect(await prisma.user.count()).toBe(DEMO_USERS.length);
    expect(await prisma.aiIdentity.count()).toBe(DEMO_IDENTITIES.length);
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "demo.seeded" } });
    expect(event.data).toMatchObject({ identities: DEMO_IDENTITIES.length, users: DEMO_USERS.length });

    // A restart (or a second replica) must not load it twice.
    const results = await Promise.all([seedDemoDataOnce(prisma), seedDemoDataOnce(prisma)]);
    expect(results).toEqual([false, false]);
    expect(await prisma.aiIdentity.count()).toBe(DEMO_IDENTITIES.length);
    expect((await verifyAuditChain(prisma)).ok).toBe(true);
  });
});

describeLoadedDemo();
