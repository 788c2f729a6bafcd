import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { createTestUser, systemActor, refused } from "@/lib/testing/factories";
import { deactivateUser } from "@/lib/users/mutations";
import { bulkUpdateIdentities } from "./bulk";
import { createIdentity, suspendIdentity, updateIdentity } from "./identities";

let lead: Actor;
let ann: { id: string; actor: Actor };
let bob: { id: string; actor: Actor };
let carol: { id: string; actor: Actor };
let departed: { id: string };

async function person(roles: Parameters<typeof createTestUser>[0] = []) {
  const { user, actor } = await createTestUser(roles);
  return { id: user.id, actor };
}

let counter = 0;
async function identity(ownerId: string) {
  counter += 1;
  const created = await executeMutation(createIdentity, systemActor, {
    name: `bulk-${counter}`,
    kind: "CI_BOT",
    purpose: "Bulk test",
    environment: "DEV",
    ownerId,
    expiresAt: new Date(Date.now() + 100 * 86_400_000).toISOString(),
  });
  return created.id;
}

/** Everything a bulk action could change, to prove a refused one changed nothing. */
async function snapshot(ids: string[]) {
  const [identities, auditEvents] = await Promise.all([
    prisma.aiIdentity.findMany({
      where: { id: { in: ids } },
      orderBy: { id: "asc" },
      select: { id: true, ownerId: true, status: true, orphanedAt: true, updatedAt: true },
    }),
    prisma.auditEvent.count(),
  ]);
  return { identities, auditEvents };
}

beforeAll(async () => {
  lead = (await person(["SECURITY_LEAD"])).actor;
  ann = await person();
  bob = await person();
  carol = await person();
  departed = await person();
});

describe("assign owner", () => {
  it("reassigns every selected identity in one go, clears orphan flags, and writes the same audit event as a single edit", async () => {
    const ids = [await identity(ann.id), await identity(bob.id), await identity(departed.id)];
    await executeMutation(deactivateUser, systemActor, { userId: departed.id });
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: ids[2]! } })).orphanedAt).not.toBeNull();

    const result = await executeMutation(bulkUpdateIdentities, lead, { action: "assign_owner", identityIds: ids, ownerId: carol.id });
    expect(result.changed).toHaveLength(3);

    const after = await prisma.aiIdentity.findMany({ where: { id: { in: ids } } });
    expect(after.map((row) => [row.ownerId, row.orphanedAt])).toEqual(ids.map(() => [carol.id, null]));
    const events = await prisma.auditEvent.findMany({ where: { targetId: { in: ids }, action: "identity.owner_reassigned" } });
    expect(events).toHaveLength(3);

    // The single mutation's event for the same change has the same shape.
    const single = await identity(ann.id);
    await executeMutation(updateIdentity, lead, { identityId: single, ownerId: carol.id });
    const singleEvent = await prisma.auditEvent.findFirstOrThrow({ where: { targetId: single, action: "identity.owner_reassigned" } });
    const bulkEvent = events.find((event) => event.targetId === ids[0])!;
    expect(bulkEvent.data).toEqual(singleEvent.data);
    expect(bulkEvent.actorLabel).toBe(singleEvent.actorLabel);
  });

  it("changes nothing at all when one selected identity may not be managed by the caller", async () => {
    const own = [await identity(ann.id), await identity(ann.id)];
    const others = await identity(bob.id);
    const ids = [...own, others];
    const before = await snapshot(ids);
    const error = await refused(
      executeMutation(bulkUpdateIdentities, ann.actor, { action: "assign_owner", identityIds: ids, ownerId: carol.id }),
    );
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/^Nothing was changed\. bulk-\d+: You are not allowed to edit this identity/);
    expect(error.fields).toHaveProperty("identityIds");
    expect(await snapshot(ids)).toEqual(before);
  });

  it("changes nothing when the new owner is deactivated, naming ownerId", async () => {
    const ids = [await identity(ann.id), await identity(ann.id)];
    const before = await snapshot(ids);
    const error = await refused(
      executeMutation(bulkUpdateIdentities, ann.actor, { action: "assign_owner", identityIds: ids, ownerId: departed.id }),
    );
    expect(error.status).toBe(422);
    expect(error.fields).toHaveProperty("ownerId", "must be an active user");
    expect(await snapshot(ids)).toEqual(before);
  });

  it("changes nothing when one id does not exist", async () => {
    const ids = [await identity(ann.id)];
    const before = await snapshot(ids);
    const error = await refused(
      executeMutation(bulkUpdateIdentities, lead, { action: "assign_owner", identityIds: [...ids, "no-such-id"], ownerId: carol.id }),
    );
    expect(error.status).toBe(404);
    expect(await snapshot(ids)).toEqual(before);
  });

  it("lets owners reassign their own identities, skipping those that already have the new owner", async () => {
    const mine = await identity(ann.id);
    const backedUp = await identity(bob.id);
    await executeMutation(updateIdentity, lead, { identityId: backedUp, backupOwnerId: ann.id });
    const result = await executeMutation(bulkUpdateIdentities, ann.actor, {
      action: "assign_owner",
      identityIds: [mine, backedUp],
      ownerId: bob.id,
    });
    expect(result).toMatchObject({ changed: expect.arrayContaining([expect.any(String)]), unchanged: [expect.stringMatching(/^bulk-/)] });
    expect(result.changed).toHaveLength(1);
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: mine } })).ownerId).toBe(bob.id);
    expect(await prisma.auditEvent.count({ where: { targetId: backedUp, action: "identity.owner_reassigned" } })).toBe(0);
  });
});

describe("suspend", () => {
  it("suspends every selected identity with one audit event each, like the single mutation", async () => {
    const ids = [await identity(ann.id), await identity(ann.id)];
    const auditBefore = await prisma.auditEvent.count();
    await executeMutation(bulkUpdateIdentities, ann.actor, { action: "suspend", identityIds: ids, reason: "incident 42" });
    expect((await prisma.aiIdentity.findMany({ where: { id: { in: ids } } })).map((row) => row.status)).toEqual(["SUSPENDED", "SUSPENDED"]);
    expect(await prisma.auditEvent.count()).toBe(auditBefore + 2);

    const single = await identity(ann.id);
    await executeMutation(suspendIdentity, ann.actor, { identityId: single, reason: "incident 42" });
    const singleEvent = await prisma.auditEvent.findFirstOrThrow({ where: { targetId: single, action: "identity.suspended" } });
    const bulkEvent = await prisma.auditEvent.findFirstOrThrow({ where: { targetId: ids[0], action: "identity.suspended" } });
    expect(bulkEvent.data).toEqual(singleEvent.data);
  });

  it("changes nothing when one identity cannot be suspended (it is retired)", async () => {
    const ids = [await identity(ann.id), await identity(ann.id)];
    await prisma.aiIdentity.update({ where: { id: ids[1]! }, data: { status: "RETIRED" } });
    const before = await snapshot(ids);
    const error = await refused(executeMutation(bulkUpdateIdentities, ann.actor, { action: "suspend", identityIds: ids }));
    expect(error.status).toBe(409);
    expect(error.message).toMatch(/^Nothing was changed\. bulk-\d+: bulk-\d+ is retired/);
    expect(await snapshot(ids)).toEqual(before);
  });

  it("skips identities already suspended, and refuses when there is nothing to do", async () => {
    const suspended = await identity(ann.id);
    const active = await identity(ann.id);
    await executeMutation(suspendIdentity, ann.actor, { identityId: suspended });
    const result = await executeMutation(bulkUpdateIdentities, ann.actor, { action: "suspend", identityIds: [suspended, active] });
    expect(result.changed).toHaveLength(1);
    expect(result.unchanged).toHaveLength(1);
    const error = await refused(executeMutation(bulkUpdateIdentities, ann.actor, { action: "suspend", identityIds: [suspended, active] }));
    expect(error.status).toBe(409);
  });
});

describe("input", () => {
  it.each([
    [{ action: "suspend", identityIds: [] }, "identityIds"],
    [{ action: "suspend" }, "identityIds"],
    [{ action: "assign_owner", identityIds: ["x"] }, "ownerId"],
    [{ action: "delete", identityIds: ["x"] }, "action"],
    [{ action: "suspend", identityIds: Array.from({ length: 501 }, (_, i) => `id-${i}`) }, "identityIds"],
  ])("refuses %j naming %s", async (input, field) => {
    const error = await refused(executeMutation(bulkUpdateIdentities, lead, input));
    expect(error.status).toBe(422);
    expect(error.fields).toHaveProperty(field);
  });

  it("accepts one id sent as a single form value", async () => {
    const id = await identity(ann.id);
    await executeMutation(bulkUpdateIdentities, ann.actor, { action: "suspend", identityIds: id });
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id } })).status).toBe("SUSPENDED");
  });
});
