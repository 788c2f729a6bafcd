import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { createTestUser, refused, switchOffApprovals } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";
import { createGrant } from "./grants";
import { createIdentity } from "./identities";
import { confirmSystemSensitivity, createSystem, updateSystem } from "./systems";
import { listSystemsAwaitingConfirmation } from "./systems-overview";

// A system's sensitivity sets the risk of every identity that reaches it, so a
// member cannot lower their own identities' risk by registering a system as
// "public": until a security lead confirms, it counts as restricted.

type Person = { user: { id: string; email: string }; actor: Actor };
let member: Person;
let lead: Person;
let admin: Person;
let counter = 0;

const unique = (prefix: string) => `${prefix}-${(counter += 1)}`;

async function systemState(id: string) {
  return prisma.system.findUniqueOrThrow({ where: { id }, select: { sensitivity: true, proposedSensitivity: true } });
}

beforeAll(async () => {
  // What these changes do, not who approves them: lib/approvals/approvals.test.ts covers that.
  await switchOffApprovals();
  member = await createTestUser([]);
  lead = await createTestUser(["SECURITY_LEAD"]);
  admin = await createTestUser(["ADMIN"]);
});

describe("registering a system", () => {
  it("keeps a member's proposed sensitivity as a proposal: the system counts as restricted until a lead confirms", async () => {
    const system = await executeMutation(createSystem, member.actor, {
      name: unique("warehouse"),
      kind: "DATABASE",
      environment: "PROD",
      sensitivity: "PUBLIC",
    });
    expect(system).toMatchObject({ sensitivity: "RESTRICTED", proposedSensitivity: "PUBLIC" });
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "system.created", targetId: system.id } });
    expect(event.data).toMatchObject({ sensitivity: "RESTRICTED", proposedSensitivity: "PUBLIC" });

    // The member's own identity is rated by the effective (restricted) sensitivity, not the proposal.
    const identity = await executeMutation(createIdentity, member.actor, {
      name: unique("loader"),
      kind: "CODING_AGENT",
      purpose: "Loads data",
      environment: "PROD",
      ownerId: member.user.id,
      expiresAt: new Date(Date.now() + 30 * DAY_MS).toISOString(),
    });
    await executeMutation(createGrant, member.actor, { identityId: identity.id, systemId: system.id, permission: "READ" });
    const rated = await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } });
    expect(rated.riskTier).toBe("HIGH");
    expect(rated.riskReasons).toEqual([`read on ${system.name} (production, restricted)`]);
  });

  it("applies a lead's or an admin's sensitivity at once, and a member's proposal of restricted needs no confirmation", async () => {
    for (const [who, sensitivity] of [
      [lead, "PUBLIC"],
      [admin, "INTERNAL"],
      [member, "RESTRICTED"],
    ] as const) {
      const system = await executeMutation(createSystem, who.actor, {
        name: unique("repo"),
        kind: "REPOSITORY",
        environment: "DEV",
        sensitivity,
      });
      expect(await systemState(system.id)).toEqual({ sensitivity, proposedSensitivity: null });
    }
  });
});

describe("confirming a proposed sensitivity", () => {
  it("is for security leads and admins: a member can neither confirm nor lower it by editing, and nothing changes", async () => {
    const system = await executeMutation(createSystem, member.actor, {
      name: unique("bucket"),
      kind: "CLOUD_ACCOUNT",
      environment: "DEV",
      sensitivity: "INTERNAL",
    });
    const events = await prisma.auditEvent.count();
    expect(
      (await refused(() => executeMutation(confirmSystemSensitivity, member.actor, { systemId: system.id, sensitivity: "INTERNAL" })))
        .status,
    ).toBe(403);
    expect((await refused(() => executeMutation(updateSystem, member.actor, { systemId: system.id, sensitivity: "PUBLIC" }))).status).toBe(
      403,
    );
    expect(await systemState(system.id)).toEqual({ sensitivity: "RESTRICTED", proposedSensitivity: "INTERNAL" });
    expect(await prisma.auditEvent.count()).toBe(events);
  });

  it("lists what awaits confirmation for leads; confirming sets the sensitivity, re-rates reaching identities and is audited once", async () => {
    const system = await executeMutation(createSystem, member.actor, {
      name: unique("queue"),
      kind: "INTERNAL_API",
      environment: "PROD",
      sensitivity: "INTERNAL",
    });
    const identity = await executeMutation(createIdentity, member.actor, {
      name: unique("worker"),
      kind: "CODING_AGENT",
      purpose: "Drains the queue",
      environment: "PROD",
      ownerId: member.user.id,
      expiresAt: new Date(Date.now() + 30 * DAY_MS).toISOString(),
    });
    await executeMutation(createGrant, member.actor, { identityId: identity.id, systemId: system.id, permission: "WRITE" });
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } })).riskTier).toBe("CRITICAL");
    expect((await listSystemsAwaitingConfirmation(prisma)).map((waiting) => waiting.id)).toContain(system.id);

    // The lead may confirm the proposal or decide otherwise; here the proposal stands.
    const confirmed = await executeMutation(confirmSystemSensitivity, lead.actor, { systemId: system.id, sensitivity: "INTERNAL" });
    expect(confirmed).toMatchObject({ sensitivity: "INTERNAL", proposedSensitivity: null });
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } })).riskTier).toBe("HIGH");
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "system.sensitivity-confirmed", targetId: system.id } });
    expect(event).toMatchObject({ actorId: lead.user.id, data: { proposed: "INTERNAL", sensitivity: "INTERNAL", identitiesRerated: 1 } });
    expect((await listSystemsAwaitingConfirmation(prisma)).map((waiting) => waiting.id)).not.toContain(system.id);

    const again = await refused(() =>
      executeMutation(confirmSystemSensitivity, lead.actor, { systemId: system.id, sensitivity: "PUBLIC" }),
    );
    expect(again.status).toBe(409);
    expect(await systemState(system.id)).toEqual({ sensitivity: "INTERNAL", proposedSensitivity: null });
  });

  it("is settled too when a lead edits the sensitivity; an edit of anything else leaves it awaiting", async () => {
    const system = await executeMutation(createSystem, member.actor, {
      name: unique("cache"),
      kind: "DATABASE",
      environment: "STAGING",
      sensitivity: "PUBLIC",
    });
    await executeMutation(updateSystem, lead.actor, { systemId: system.id, description: "Session cache" });
    expect(await systemState(system.id)).toEqual({ sensitivity: "RESTRICTED", proposedSensitivity: "PUBLIC" });
    await executeMutation(updateSystem, lead.actor, { systemId: system.id, sensitivity: "CONFIDENTIAL" });
    expect(await systemState(system.id)).toEqual({ sensitivity: "CONFIDENTIAL", proposedSensitivity: null });
  });

  it("names a bad sensitivity", async () => {
    const system = await executeMutation(createSystem, member.actor, {
      name: unique("feed"),
      kind: "INTERNAL_API",
      environment: "DEV",
      sensitivity: "PUBLIC",
    });
    const bad = await refused(() => executeMutation(confirmSystemSensitivity, lead.actor, { systemId: system.id, sensitivity: "SECRET" }));
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.fields ?? {})).toEqual(["sensitivity"]);
  });
});
