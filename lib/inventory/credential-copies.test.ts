import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createTestUser } from "@/lib/testing/factories";

// Each identity keeps copies of its active credentials' dates (migration
// 20261129201000), refreshed by triggers on "Credential". An UPDATE refreshes
// them only when something they are made of changed (migration
// 20261205010000): using a credential or flagging it for rotation leaves the
// identity's row alone, and so does not wait for someone editing the identity.

const DAY = 86_400_000;
let other: pg.Client;

beforeEach(async () => {
  other = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await other.connect();
});
afterEach(async () => {
  await other.end();
});

async function identityWithCredentials() {
  const { user } = await createTestUser();
  const now = Date.now();
  const identity = await prisma.aiIdentity.create({
    data: {
      name: `copies-${now}-${Math.random()}`,
      kind: "CODING_AGENT",
      purpose: "test",
      environment: "DEV",
      autonomy: "SUGGEST",
      ownerId: user.id,
      expiresAt: new Date(now + 90 * DAY),
      nextReviewAt: new Date(now + 30 * DAY),
    },
  });
  const credential = (label: string, issuedDaysAgo: number, expiresInDays: number) =>
    prisma.credential.create({
      data: {
        identityId: identity.id,
        type: "API_KEY",
        label,
        fingerprint: `fp-${label}`,
        issuedAt: new Date(now - issuedDaysAgo * DAY),
        expiresAt: new Date(now + expiresInDays * DAY),
      },
    });
  const old = await credential("old", 200, 10);
  const fresh = await credential("fresh", 5, 80);
  return { identity, old, fresh };
}

const copiesOf = (id: string) =>
  prisma.aiIdentity.findUniqueOrThrow({
    where: { id },
    select: { credentialOldestIssuedAt: true, longLivedCandidateIssuedAt: true, hasNonExpiringCredential: true, credentialIssuedAt: true },
  });

/** Runs `statement` on another connection while this test holds the identity's row lock, as an edit of the identity does. */
async function whileIdentityLocked(identityId: string, statement: string, values: unknown[]): Promise<"done" | "waited"> {
  let outcome: "done" | "waited" = "done";
  await prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM "AiIdentity" WHERE "id" = ${identityId} FOR UPDATE`;
    await other.query("BEGIN");
    await other.query("SET LOCAL lock_timeout = '300ms'");
    try {
      await other.query(statement, values);
      await other.query("COMMIT");
    } catch (error) {
      await other.query("ROLLBACK");
      if ((error as { code?: string }).code !== "55P03") throw error;
      outcome = "waited";
    }
  });
  return outcome;
}

describe("an identity's copies of its credentials", () => {
  it("are not touched when a credential is used or flagged for rotation, even while the identity is being edited", async () => {
    const { identity, old } = await identityWithCredentials();
    const before = await copiesOf(identity.id);
    expect(before.credentialOldestIssuedAt).toEqual(old.issuedAt);

    expect(await whileIdentityLocked(identity.id, `UPDATE "Credential" SET "lastUsedAt" = now() WHERE "id" = $1`, [old.id])).toBe("done");
    expect(
      await whileIdentityLocked(
        identity.id,
        `UPDATE "Credential" SET "rotationRequiredAt" = now(), "rotationRequiredReason" = 'a grant' WHERE "identityId" = $1`,
        [identity.id],
      ),
    ).toBe("done");
    expect(await copiesOf(identity.id)).toEqual(before);
  });

  it("are refreshed when what they are made of changes: a revocation, an expiry, an issue date", async () => {
    const { identity, old, fresh } = await identityWithCredentials();

    // A change the copies depend on refreshes them, so it waits for the identity's lock like any other write to it.
    expect(await whileIdentityLocked(identity.id, `UPDATE "Credential" SET "status" = 'REVOKED' WHERE "id" = $1`, [old.id])).toBe("waited");

    await prisma.credential.update({ where: { id: old.id }, data: { status: "REVOKED" } });
    expect(await copiesOf(identity.id)).toMatchObject({ credentialOldestIssuedAt: fresh.issuedAt, credentialIssuedAt: [fresh.issuedAt] });

    await prisma.credential.update({ where: { id: fresh.id }, data: { expiresAt: null } });
    expect(await copiesOf(identity.id)).toMatchObject({ hasNonExpiringCredential: true, longLivedCandidateIssuedAt: null });

    const reissued = new Date(Date.now() - DAY);
    await prisma.credential.update({ where: { id: fresh.id }, data: { issuedAt: reissued } });
    expect(await copiesOf(identity.id)).toMatchObject({ credentialOldestIssuedAt: reissued, credentialIssuedAt: [reissued] });

    // Several rows in one statement, one of them changed: the identity is refreshed.
    await prisma.credential.updateMany({ where: { identityId: identity.id }, data: { status: "ACTIVE", lastUsedAt: new Date() } });
    expect(await copiesOf(identity.id)).toMatchObject({
      credentialOldestIssuedAt: old.issuedAt,
      credentialIssuedAt: [old.issuedAt, reissued],
    });
  });
});
