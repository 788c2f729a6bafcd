import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { executeMutation } from "@/lib/auth/mutation";
import { createApiToken } from "@/lib/auth/api-tokens";
import { importIdentities, type ImportResult } from "@/lib/inventory/csv-import";
import { countRows, createTestUser, refused, systemActor, switchOffApprovals } from "@/lib/testing/factories";
import type { Actor } from "@/lib/auth/actor";
import { createUser } from "./mutations";

// One person, one email, whatever its case: people type "Ada@Example.com" as
// often as "ada@example.com", and rows written before emails were stored
// lower-cased may still carry capitals.

let lead: Actor;
let legacyId: string;

beforeAll(async () => {
  // What these changes do, not who approves them: lib/approvals/approvals.test.ts covers that.
  await switchOffApprovals();
  lead = (await createTestUser(["SECURITY_LEAD", "ADMIN"], { email: "lead@example.com" })).actor;
  await createTestUser([], { email: "ada@example.com" });
  // Written before emails were normalised, so it bypasses the mutation on purpose.
  legacyId = (await prisma.user.create({ data: { email: "Grace.Hopper@Example.com", name: "Grace", roles: [] } })).id;
});

describe("createUser", () => {
  it("refuses an email that differs from an existing one only in case, naming the field, and writes nothing", async () => {
    const before = await countRows();
    const error = await refused(executeMutation(createUser, lead, { email: "Ada@Example.com", name: "Ada again", roles: [] }));
    expect(error).toMatchObject({ code: "conflict", fields: { email: "is already in use" } });
    const legacy = await refused(executeMutation(createUser, lead, { email: "grace.hopper@example.com", name: "Grace again", roles: [] }));
    expect(legacy).toMatchObject({ code: "conflict", fields: { email: "is already in use" } });
    expect(await countRows()).toEqual(before);
  });

  it("stores a new email lower-cased", async () => {
    const user = await executeMutation(createUser, lead, { email: "  New.Person@Example.COM ", name: "New", roles: [] });
    expect(user.email).toBe("new.person@example.com");
  });
});

describe("other lookups by email", () => {
  it("tokens:create finds its owner whatever the case of either side", async () => {
    const token = await executeMutation(createApiToken, systemActor, {
      userEmail: "GRACE.HOPPER@example.com",
      name: "cli",
      scopes: ["READ"],
      expiresInDays: 30,
    });
    expect((await prisma.apiToken.findUniqueOrThrow({ where: { id: token.id } })).userId).toBe(legacyId);
  });

  it("the CSV import's owner column finds a person whatever the case of either side", async () => {
    const future = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
    const csv = [
      "externalId,name,kind,environment,ownerEmail,backupOwnerEmail,team,autonomy,vendor,model,purpose,expiresAt",
      `,legacy-owned,CODING_AGENT,DEV,grace.hopper@EXAMPLE.com,Ada@example.com,,,,,Tests emails,${future}`,
    ].join("\r\n");
    const result = (await executeMutation(importIdentities, lead, { csv }, prisma)) as ImportResult;
    expect(result).toMatchObject({ created: 1, failed: 0 });
    const identity = await prisma.aiIdentity.findFirstOrThrow({ where: { name: "legacy-owned" }, include: { backupOwner: true } });
    expect(identity.ownerId).toBe(legacyId);
    expect(identity.backupOwner?.email).toBe("ada@example.com");
  });
});
