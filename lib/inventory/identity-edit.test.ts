import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { executeMutation } from "@/lib/auth/mutation";
import { createTestUser, systemActor } from "@/lib/testing/factories";
import { createIdentity, updateIdentity } from "./identities";

describe("editing an identity", () => {
  it('clears an optional field emptied in a form ("") or set to null over the API, and leaves the rest alone', async () => {
    const { user: owner } = await createTestUser();
    const { user: backup } = await createTestUser();
    const team = await prisma.team.create({ data: { name: "Clearing" } });
    const created = await executeMutation(createIdentity, systemActor, {
      name: "clear-me",
      kind: "PLUGIN",
      purpose: "test",
      environment: "DEV",
      ownerId: owner.id,
      backupOwnerId: backup.id,
      teamId: team.id,
      vendor: "Acme",
      model: "m1",
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      autonomy: "DRAFT",
    });

    await executeMutation(updateIdentity, systemActor, { identityId: created.id, backupOwnerId: "", vendor: null });
    const after = await prisma.aiIdentity.findUniqueOrThrow({ where: { id: created.id } });
    expect(after).toMatchObject({ backupOwnerId: null, vendor: null, teamId: team.id, model: "m1", autonomy: "DRAFT", ownerId: owner.id });

    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "identity.updated", targetId: created.id } });
    expect(event.data).toMatchObject({ changed: { backupOwnerId: null, vendor: null } });
  });
});
