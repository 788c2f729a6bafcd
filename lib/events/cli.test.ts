import { describe, expect, it } from "vitest";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { createIdentity } from "@/lib/inventory/identities";
import { runCli } from "@/lib/testing/cli";
import { createTestUser, systemActor } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";
import { recordEvents } from "./record";

// `npm run cli -- events:verify`, as an operator runs it against the database.

describe("events:verify", () => {
  it("reports the chain intact, then names the event the table's owner altered", async () => {
    const owner = await createTestUser();
    const identity = await executeMutation(createIdentity, systemActor, {
      name: "cli-agent",
      kind: "CODING_AGENT",
      purpose: "Fixes failing builds",
      environment: "DEV",
      ownerId: owner.user.id,
      expiresAt: new Date(Date.now() + 30 * DAY_MS).toISOString(),
    });
    const { seqs } = await recordEvents(
      prisma,
      { identityId: identity.id, credential: { kind: "api_token", id: "t" } },
      { events: ["Read", "Edit", "Bash"].map((tool) => ({ kind: "tool_call", tool })) },
    );
    const intact = await runCli(["events:verify"]);
    expect(intact.output).toContain(`Activity chain intact: 3 events from #1, head #${seqs[2]}`);
    expect(intact.code).toBe(0);

    await prisma.$executeRawUnsafe(`ALTER TABLE "ActivityEvent" DISABLE TRIGGER USER`);
    await prisma.$executeRawUnsafe(`UPDATE "ActivityEvent" SET "tool" = 'Write' WHERE "seq" = ${seqs[1]}`);
    await prisma.$executeRawUnsafe(`ALTER TABLE "ActivityEvent" ENABLE TRIGGER USER`);
    const broken = await runCli(["events:verify"]);
    expect(broken.output).toContain(`Activity chain BROKEN at event #${seqs[1]}: its content does not match its hash`);
    expect(broken.code).toBe(2);
    expect((await runCli(["events:verify", "--from", seqs[2]!])).code).toBe(0);
    expect((await runCli(["events:verify", "--from", "abc"])).output).toContain("--from must be an event number");
  }, 180_000);
});
