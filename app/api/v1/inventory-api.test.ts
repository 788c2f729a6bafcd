import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { apiAs, type ApiBody } from "@/lib/testing/api-client";
import { countRows, createTestToken, createTestUser, switchOffApprovals } from "@/lib/testing/factories";

// The inventory over HTTP: the real route handlers, called with real requests,
// against a real database. Each block checks what a client observes (status,
// body, error fields) and what ended up stored.

type Body = ApiBody;
const DAY_MS = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();
const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString("hex")}`;
const as = apiAs;

/** Everything a refused call must leave as it was; audit events prove no mutation committed. */
async function snapshot() {
  const [systems, grants, credentials] = await Promise.all([prisma.system.count(), prisma.grant.count(), prisma.credential.count()]);
  return { ...(await countRows()), systems, grants, credentials };
}

let users: Record<"owner" | "backup" | "other" | "lead" | "admin", { id: string; email: string }>;
let tokens: Record<"owner" | "backup" | "other" | "lead" | "admin" | "auditor" | "ownerReadOnly", string>;

beforeAll(async () => {
  // What these changes do, not who approves them: lib/approvals/approvals.test.ts covers that.
  await switchOffApprovals();
  const owner = await createTestUser([]);
  const backup = await createTestUser([]);
  const other = await createTestUser([]);
  const lead = await createTestUser(["SECURITY_LEAD"]);
  const admin = await createTestUser(["ADMIN"]);
  const auditor = await createTestUser(["AUDITOR"]);
  users = { owner: owner.user, backup: backup.user, other: other.user, lead: lead.user, admin: admin.user };
  tokens = {
    owner: await createTestToken(owner.user.email),
    backup: await createTestToken(backup.user.email),
    other: await createTestToken(other.user.email),
    lead: await createTestToken(lead.user.email),
    admin: await createTestToken(admin.user.email),
    auditor: await createTestToken(auditor.user.email, ["READ", "WRITE"]),
    ownerReadOnly: await createTestToken(owner.user.email, ["READ"]),
  };
});

function identityBody(overrides: Body = {}): Body {
  return {
    name: unique("agent"),
    kind: "CODING_AGENT",
    purpose: "Opens pull requests for dependency updates",
    environment: "DEV",
    ownerId: users.owner.id,
    backupOwnerId: users.backup.id,
    expiresAt: inDays(180),
    ...overrides,
  };
}

async function createIdentity(overrides: Body = {}, token = tokens.owner) {
  const { status, body } = await as(token).post("identities", identityBody(overrides));
  expect(status, JSON.stringify(body)).toBe(201);
  return body;
}

async function createSystem(overrides: Body = {}) {
  const { status, body } = await as(tokens.lead).post("systems", {
    name: unique("repo"),
    kind: "REPOSITORY",
    environment: "PROD",
    sensitivity: "INTERNAL",
    ...overrides,
  });
  expect(status, JSON.stringify(body)).toBe(201);
  return body;
}

describe("POST /api/v1/identities", () => {
  it("registers an identity for its owner (201) with its computed risk, audited as the token", async () => {
    const { status, body } = await as(tokens.owner).post("identities", identityBody({ name: "renovate-bot", autonomy: "DRAFT" }));
    expect(status).toBe(201);
    expect(body).toMatchObject({
      name: "renovate-bot",
      status: "ACTIVE",
      ownerId: users.owner.id,
      autonomy: "DRAFT",
      reviewCadenceDays: 90,
      riskTier: "LOW",
    });
    expect(Array.isArray(body.riskReasons)).toBe(true);
    const stored = await prisma.aiIdentity.findUniqueOrThrow({ where: { id: body.id as string } });
    expect(stored.name).toBe("renovate-bot");
    const event = await prisma.auditEvent.findFirst({ where: { action: "identity.created", targetId: body.id as string } });
    expect(event?.actorType).toBe("API_TOKEN");
  });

  it("answers 422 naming every missing or bad field, and writes nothing", async () => {
    const before = await snapshot();
    const { status, body } = await as(tokens.owner).post("identities", {
      name: "",
      kind: "ROBOT",
      environment: "MOON",
      expiresAt: "someday",
    });
    expect(status).toBe(422);
    expect(body.error.code).toBe("validation_failed");
    expect(Object.keys(body.error.fields as object).sort()).toEqual(["environment", "expiresAt", "kind", "name", "ownerId", "purpose"]);
    expect(body.error.fields.expiresAt).toBe("must be a date, e.g. 2027-03-31");
    expect((await as(tokens.owner).post("identities", identityBody({ expiresAt: inDays(-1) }))).body.error.fields).toEqual({
      expiresAt: "must be in the future",
    });
    expect(await snapshot()).toEqual(before);
  });

  it("lets members register only what they own or back up (403 otherwise); security leads register for anyone", async () => {
    const before = await snapshot();
    const refused = await as(tokens.other).post("identities", identityBody());
    expect(refused.status).toBe(403);
    expect(refused.body.error.fields).toHaveProperty("ownerId");
    expect(await snapshot()).toEqual(before);

    await createIdentity({ backupOwnerId: users.other.id }, tokens.other);
    await createIdentity({}, tokens.lead);
  });

  it("answers 409 for a name already used in that environment, and allows it in another", async () => {
    const name = unique("dup");
    await createIdentity({ name });
    const before = await snapshot();
    const clash = await as(tokens.owner).post("identities", identityBody({ name }));
    expect(clash.status).toBe(409);
    expect(clash.body.error).toMatchObject({ code: "conflict", fields: { name: "is already used in DEV" } });
    expect(await snapshot()).toEqual(before);
    await createIdentity({ name, environment: "PROD" });
  });

  it("refuses read-scoped tokens (403), auditors (403) and callers without a token (401)", async () => {
    const before = await snapshot();
    expect((await as(tokens.ownerReadOnly).post("identities", identityBody())).status).toBe(403);
    expect((await as(tokens.auditor).post("identities", identityBody())).status).toBe(403);
    expect((await as(undefined).post("identities", identityBody())).status).toBe(401);
    expect(await snapshot()).toEqual(before);
  });
});

describe("GET /api/v1/identities/{id}", () => {
  it("returns the identity with its grants (and their systems), credentials, risk tier and reasons", async () => {
    const identity = await createIdentity({ autonomy: "EXECUTE" });
    const system = await createSystem({ sensitivity: "RESTRICTED", environment: "PROD" });
    expect((await as(tokens.owner).post("grants", { identityId: identity.id, systemId: system.id, permission: "WRITE" })).status).toBe(201);
    expect(
      (
        await as(tokens.owner).post("credentials", {
          identityId: identity.id,
          type: "PAT",
          label: "deploy PAT",
          fingerprint: "SHA256:abc123",
          issuedAt: inDays(-1),
        })
      ).status,
    ).toBe(201);

    for (const token of [tokens.other, tokens.auditor, tokens.ownerReadOnly]) {
      const { status, body } = await as(token).get("identities/[id]", { id: identity.id as string });
      expect(status).toBe(200);
      expect(body).toMatchObject({
        id: identity.id,
        name: identity.name,
        riskTier: "CRITICAL",
        owner: { id: users.owner.id, email: users.owner.email },
      });
      expect(body.riskReasons.length).toBeGreaterThan(0);
      expect(body.grants).toHaveLength(1);
      expect(body.grants[0]).toMatchObject({
        permission: "WRITE",
        system: { id: system.id, name: system.name, sensitivity: "RESTRICTED", environment: "PROD" },
      });
      expect(body.credentials).toHaveLength(1);
      expect(body.credentials[0]).toMatchObject({ type: "PAT", fingerprint: "SHA256:abc123", status: "ACTIVE" });
      expect(body.timeline.map((event: { action: string }) => event.action)).toEqual(
        expect.arrayContaining(["identity.created", "grant.created", "credential.created"]),
      );
    }
  });

  it("answers 404 for an identity that does not exist, and 401 without a token", async () => {
    const missing = await as(tokens.owner).get("identities/[id]", { id: "no-such-identity" });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("not_found");
    expect((await as(undefined).get("identities/[id]", { id: "no-such-identity" })).status).toBe(401);
  });
});

describe("PATCH /api/v1/identities/{id}", () => {
  it("lets the owner, the backup owner and security leads edit; others get 403 and nothing changes", async () => {
    const identity = await createIdentity();
    const id = identity.id as string;
    for (const [token, purpose] of [
      [tokens.owner, "by owner"],
      [tokens.backup, "by backup"],
      [tokens.lead, "by lead"],
    ] as const) {
      const { status, body } = await as(token).patch("identities/[id]", { purpose }, { id });
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body.purpose).toBe(purpose);
    }
    const before = await snapshot();
    for (const token of [tokens.other, tokens.ownerReadOnly, tokens.auditor]) {
      expect((await as(token).patch("identities/[id]", { purpose: "hijacked" }, { id })).status).toBe(403);
    }
    expect(await snapshot()).toEqual(before);
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id } })).purpose).toBe("by lead");
  });

  it("changes the record named in the path, whatever id the body carries", async () => {
    const mine = await createIdentity();
    const theirs = await createIdentity({ ownerId: users.other.id, backupOwnerId: undefined }, tokens.lead);
    const { status } = await as(tokens.owner).patch(
      "identities/[id]",
      { identityId: theirs.id, purpose: "redirected" },
      { id: mine.id as string },
    );
    expect(status).toBe(200);
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: theirs.id as string } })).purpose).not.toBe("redirected");
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: mine.id as string } })).purpose).toBe("redirected");
  });

  // Known bug in lib/validation/inventory.ts: updateIdentityInput is built with
  // .partial() over fields that have .default(), and zod 4 applies those
  // defaults to absent keys, so a PATCH without autonomy/reviewCadenceDays
  // resets them to SUGGEST/90. Flip this to `it` once the schema is fixed.
  it("changes only the fields sent", async () => {
    const identity = await createIdentity({ autonomy: "EXECUTE", reviewCadenceDays: 30 });
    const { body } = await as(tokens.owner).patch("identities/[id]", { purpose: "only this" }, { id: identity.id as string });
    expect(body).toMatchObject({ purpose: "only this", autonomy: "EXECUTE", reviewCadenceDays: 30 });
  });

  it("answers 422 naming the field, 409 for a name taken in its environment, 404 for a missing identity", async () => {
    const taken = await createIdentity();
    const identity = await createIdentity();
    const id = identity.id as string;
    const before = await snapshot();
    const past = await as(tokens.owner).patch("identities/[id]", { expiresAt: inDays(-3) }, { id });
    expect(past.status).toBe(422);
    expect(past.body.error.fields).toEqual({ expiresAt: "must be in the future" });
    const bad = await as(tokens.owner).patch("identities/[id]", { kind: "ROBOT", backupOwnerId: users.owner.id }, { id });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields).toEqual({ kind: expect.stringMatching(/^must be one of/) });
    const sameBackup = await as(tokens.owner).patch("identities/[id]", { backupOwnerId: users.owner.id }, { id });
    expect(sameBackup.body.error.fields).toEqual({ backupOwnerId: "must be someone other than the owner" });
    const clash = await as(tokens.owner).patch("identities/[id]", { name: taken.name }, { id });
    expect(clash.status).toBe(409);
    expect(clash.body.error.fields).toEqual({ name: "is already used in DEV" });
    expect((await as(tokens.owner).patch("identities/[id]", { purpose: "x" }, { id: "no-such-identity" })).status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });
});

describe("identity status changes", () => {
  it("suspends (owner), refuses a second suspend (409), reactivates only for security leads, and retires", async () => {
    const identity = await createIdentity();
    const id = identity.id as string;
    const system = await createSystem();
    const grant = (await as(tokens.owner).post("grants", { identityId: id, systemId: system.id, permission: "READ" })).body;
    await as(tokens.owner).post("credentials", {
      identityId: id,
      type: "API_KEY",
      label: "key",
      fingerprint: "kid-1",
      issuedAt: inDays(-1),
    });

    const suspended = await as(tokens.owner).post("identities/[id]/suspend", { reason: "investigating" }, { id });
    expect(suspended.status).toBe(200);
    expect(suspended.body.status).toBe("SUSPENDED");
    const event = await prisma.auditEvent.findFirst({ where: { action: "identity.suspended", targetId: id } });
    expect(event?.data).toMatchObject({ reason: "investigating" });

    const again = await as(tokens.owner).post("identities/[id]/suspend", {}, { id });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("conflict");

    expect((await as(tokens.owner).post("identities/[id]/reactivate", {}, { id })).status).toBe(403);
    const reactivated = await as(tokens.lead).post("identities/[id]/reactivate", {}, { id });
    expect(reactivated.status).toBe(200);
    expect(reactivated.body.status).toBe("ACTIVE");

    expect((await as(tokens.other).post("identities/[id]/retire", {}, { id })).status).toBe(403);
    const retired = await as(tokens.backup).post("identities/[id]/retire", { reason: "replaced" }, { id });
    expect(retired.status).toBe(200);
    expect(retired.body.status).toBe("RETIRED");
    // No hard delete: the record stays, its access ends.
    const after = (await as(tokens.owner).get("identities/[id]", { id })).body;
    expect(after.status).toBe("RETIRED");
    expect(after.grants[0]).toMatchObject({ id: grant.id, revokedAt: expect.any(String) });
    expect(after.credentials[0].status).toBe("REVOKED");
    expect((await as(tokens.owner).post("identities/[id]/retire", {}, { id })).status).toBe(409);
  });

  it("answers 404 for a missing identity, 422 for a bad reason, 403 for auditors and read-only tokens", async () => {
    const identity = await createIdentity();
    const id = identity.id as string;
    const before = await snapshot();
    for (const verb of ["suspend", "reactivate", "retire"]) {
      expect((await as(tokens.lead).post(`identities/[id]/${verb}`, {}, { id: "no-such-identity" })).status).toBe(404);
      const bad = await as(tokens.lead).post(`identities/[id]/${verb}`, { reason: "x".repeat(501) }, { id });
      expect(bad.status).toBe(422);
      expect(bad.body.error.fields).toEqual({ reason: "must be at most 500 characters" });
      expect((await as(tokens.auditor).post(`identities/[id]/${verb}`, {}, { id })).status).toBe(403);
      expect((await as(tokens.ownerReadOnly).post(`identities/[id]/${verb}`, {}, { id })).status).toBe(403);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe("/api/v1/systems", () => {
  it("lets any member register a system (201); duplicates are 409 and bad input 422, writing nothing", async () => {
    const created = await as(tokens.other).post("systems", {
      name: "payments-db",
      kind: "DATABASE",
      environment: "PROD",
      sensitivity: "RESTRICTED",
      description: "cards",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "payments-db", kind: "DATABASE", environment: "PROD", sensitivity: "RESTRICTED" });

    const before = await snapshot();
    const clash = await as(tokens.other).post("systems", {
      name: "payments-db",
      kind: "DATABASE",
      environment: "PROD",
      sensitivity: "PUBLIC",
    });
    expect(clash.status).toBe(409);
    expect(clash.body.error.fields).toEqual({ name: "is already used in PROD" });
    const bad = await as(tokens.other).post("systems", { name: " ", kind: "TOASTER", environment: "PROD", sensitivity: "SECRET" });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields as object).sort()).toEqual(["kind", "name", "sensitivity"]);
    expect(
      (await as(tokens.auditor).post("systems", { name: "a", kind: "DATABASE", environment: "DEV", sensitivity: "PUBLIC" })).status,
    ).toBe(403);
    expect(
      (await as(tokens.ownerReadOnly).post("systems", { name: "a", kind: "DATABASE", environment: "DEV", sensitivity: "PUBLIC" })).status,
    ).toBe(403);
    expect(await snapshot()).toEqual(before);

    expect((await as(tokens.auditor).get("systems/[id]", { id: created.body.id as string })).body).toMatchObject({
      id: created.body.id,
      name: "payments-db",
      sensitivity: "RESTRICTED",
    });
    expect((await as(tokens.auditor).get("systems/[id]", { id: "no-such-system" })).status).toBe(404);
  });

  it("lets only security leads and admins edit a system, and re-rates the identities that reach it", async () => {
    const system = await createSystem({ sensitivity: "PUBLIC", environment: "DEV" });
    const identity = await createIdentity();
    await as(tokens.owner).post("grants", { identityId: identity.id, systemId: system.id, permission: "READ" });
    expect((await as(tokens.owner).get("identities/[id]", { id: identity.id as string })).body.riskTier).toBe("LOW");

    const before = await snapshot();
    expect((await as(tokens.owner).patch("systems/[id]", { sensitivity: "RESTRICTED" }, { id: system.id as string })).status).toBe(403);
    expect(await snapshot()).toEqual(before);

    const { status, body } = await as(tokens.admin).patch("systems/[id]", { sensitivity: "RESTRICTED" }, { id: system.id as string });
    expect(status).toBe(200);
    expect(body.sensitivity).toBe("RESTRICTED");
    expect((await as(tokens.owner).get("identities/[id]", { id: identity.id as string })).body.riskTier).toBe("HIGH");
  });

  it("answers 422, 409 and 404 on edits", async () => {
    const taken = await createSystem({ environment: "STAGING" });
    const system = await createSystem({ environment: "STAGING" });
    const before = await snapshot();
    const bad = await as(tokens.lead).patch("systems/[id]", { sensitivity: "SECRET" }, { id: system.id as string });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields as object)).toEqual(["sensitivity"]);
    const clash = await as(tokens.lead).patch("systems/[id]", { name: taken.name }, { id: system.id as string });
    expect(clash.status).toBe(409);
    expect(clash.body.error.fields).toEqual({ name: "is already used in STAGING" });
    expect((await as(tokens.lead).patch("systems/[id]", { name: "x" }, { id: "no-such-system" })).status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it("keeps a member's sensitivity as a proposal until a lead confirms it, and lists what awaits confirmation", async () => {
    const created = await as(tokens.other).post("systems", {
      name: unique("analytics"),
      kind: "DATABASE",
      environment: "PROD",
      sensitivity: "INTERNAL",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ sensitivity: "RESTRICTED", proposedSensitivity: "INTERNAL" });
    const id = created.body.id as string;
    const waiting = await as(tokens.lead).get("systems", undefined, "awaitingConfirmation=1");
    expect((waiting.body.data as { id: string; proposedSensitivity: string }[]).every((row) => row.proposedSensitivity !== null)).toBe(
      true,
    );
    expect((waiting.body.data as { id: string }[]).map((row) => row.id)).toContain(id);

    expect((await as(tokens.other).post("systems/[id]/confirm-sensitivity", { sensitivity: "INTERNAL" }, { id })).status).toBe(403);
    const confirmed = await as(tokens.lead).post("systems/[id]/confirm-sensitivity", { sensitivity: "CONFIDENTIAL" }, { id });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ sensitivity: "CONFIDENTIAL", proposedSensitivity: null });
    expect((await as(tokens.lead).post("systems/[id]/confirm-sensitivity", { sensitivity: "PUBLIC" }, { id })).status).toBe(409);
  });

  it("lists every system exactly once across cursor pages", async () => {
    // Equal names in three environments: paging must not skip or repeat rows that tie on the sort.
    for (const environment of ["DEV", "STAGING", "PROD"]) await createSystem({ name: "same-name", environment, kind: "CI_CD" });
    await createSystem();
    const expected = (await prisma.system.findMany({ select: { id: true } })).map((row) => row.id).sort();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: Body } = await as(tokens.auditor).get(
        "systems",
        undefined,
        `limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...(page.body.data as { id: string }[]).map((row) => row.id));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    expect(seen.length).toBe(expected.length);
    expect([...seen].sort()).toEqual(expected);
    expect((await as(tokens.auditor).get("systems", undefined, "limit=0")).body.error.fields).toEqual({ limit: "must be at least 1" });
    expect((await as(tokens.auditor).get("systems", undefined, "cursor=nope")).body.error.fields).toEqual({
      cursor: "is not a cursor from this list",
    });
  });

  it("filters by environment and sensitivity, and loses no row when the cursor row leaves the filter between pages", async () => {
    for (let i = 0; i < 5; i += 1) await createSystem({ name: `filtered-${i}`, environment: "STAGING", sensitivity: "CONFIDENTIAL" });
    await createSystem({ name: "filtered-other", environment: "STAGING", sensitivity: "PUBLIC" });
    const query = "environment=STAGING&sensitivity=CONFIDENTIAL";
    const all = await as(tokens.auditor).get("systems", undefined, query);
    const expected = (all.body.data as { name: string }[]).map((row) => row.name);
    expect(expected).toEqual(expect.arrayContaining(["filtered-0", "filtered-4"]));
    expect(expected).not.toContain("filtered-other");

    const first = await as(tokens.auditor).get("systems", undefined, `${query}&limit=2`);
    const cursor = first.body.nextCursor as string;
    // A lead raises the cursor row's sensitivity while the client pages: it leaves the filter.
    expect((await as(tokens.lead).patch("systems/[id]", { sensitivity: "RESTRICTED" }, { id: cursor })).status).toBe(200);
    const second = await as(tokens.auditor).get("systems", undefined, `${query}&limit=2&cursor=${cursor}`);
    expect((second.body.data as { name: string }[]).map((row) => row.name)).toEqual(expected.slice(2, 4));
    expect((await as(tokens.auditor).get("systems", undefined, "sensitivity=SECRET")).body.error.fields).toEqual({
      sensitivity: expect.stringMatching(/^must be one of/),
    });
  });
});

describe("/api/v1/grants", () => {
  it("grants, reads and revokes access for the identity's owner; refuses duplicates (409) and repeated revokes (409)", async () => {
    const identity = await createIdentity();
    const system = await createSystem();
    const created = await as(tokens.owner).post("grants", {
      identityId: identity.id,
      systemId: system.id,
      permission: "DEPLOY",
      mode: "JUST_IN_TIME",
      expiresAt: inDays(1),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      identityId: identity.id,
      systemId: system.id,
      permission: "DEPLOY",
      mode: "JUST_IN_TIME",
      revokedAt: null,
    });
    const id = created.body.id as string;

    const read = await as(tokens.auditor).get("grants/[id]", { id });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id,
      system: { id: system.id, name: system.name },
      identity: { id: identity.id, name: identity.name },
    });

    const before = await snapshot();
    const duplicate = await as(tokens.owner).post("grants", {
      identityId: identity.id,
      systemId: system.id,
      permission: "DEPLOY",
      mode: "JUST_IN_TIME",
      expiresAt: inDays(1),
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.fields).toEqual({ permission: "is already granted" });
    expect(await snapshot()).toEqual(before);

    const revoked = await as(tokens.backup).post("grants/[id]/revoke", {}, { id });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expect((await as(tokens.owner).post("grants/[id]/revoke", {}, { id })).status).toBe(409);
  });

  it("refuses people who neither own nor back up the identity (403), auditors and read-only tokens, writing nothing", async () => {
    const identity = await createIdentity();
    const system = await createSystem();
    const grant = (await as(tokens.owner).post("grants", { identityId: identity.id, systemId: system.id, permission: "READ" })).body;
    const before = await snapshot();
    for (const token of [tokens.other, tokens.auditor, tokens.ownerReadOnly]) {
      expect((await as(token).post("grants", { identityId: identity.id, systemId: system.id, permission: "ADMIN" })).status).toBe(403);
      expect((await as(token).post("grants/[id]/revoke", {}, { id: grant.id as string })).status).toBe(403);
    }
    expect(await snapshot()).toEqual(before);
    expect((await prisma.grant.findUniqueOrThrow({ where: { id: grant.id as string } })).revokedAt).toBeNull();
  });

  it("answers 422 naming the field, and 404 for a missing grant or identity", async () => {
    const identity = await createIdentity();
    const system = await createSystem();
    const before = await snapshot();
    const jit = await as(tokens.owner).post("grants", {
      identityId: identity.id,
      systemId: system.id,
      permission: "WRITE",
      mode: "JUST_IN_TIME",
    });
    expect(jit.status).toBe(422);
    expect(jit.body.error.fields).toEqual({ expiresAt: "is required for a just-in-time grant" });
    const bad = await as(tokens.owner).post("grants", { identityId: identity.id, systemId: system.id, permission: "ROOT" });
    expect(Object.keys(bad.body.error.fields as object)).toEqual(["permission"]);
    const noSystem = await as(tokens.owner).post("grants", { identityId: identity.id, systemId: "no-such-system", permission: "READ" });
    expect(noSystem.status).toBe(422);
    expect(noSystem.body.error.fields).toEqual({ systemId: "must be an existing system" });
    expect(
      (await as(tokens.owner).post("grants", { identityId: "no-such-identity", systemId: system.id, permission: "READ" })).status,
    ).toBe(404);
    expect((await as(tokens.owner).get("grants/[id]", { id: "no-such-grant" })).status).toBe(404);
    expect((await as(tokens.owner).post("grants/[id]/revoke", {}, { id: "no-such-grant" })).status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });
});

describe("/api/v1/credentials", () => {
  it("records, reads, rotates and revokes a credential; rotating a revoked one is 409", async () => {
    const identity = await createIdentity();
    const created = await as(tokens.owner).post("credentials", {
      identityId: identity.id,
      type: "SSH_KEY",
      label: "deploy key",
      fingerprint: "SHA256:old+fp/1=",
      issuedAt: inDays(-10),
      expiresAt: inDays(80),
      vaultPath: "vault/ci/deploy",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      identityId: identity.id,
      fingerprint: "SHA256:old+fp/1=",
      status: "ACTIVE",
      vaultPath: "vault/ci/deploy",
    });
    const id = created.body.id as string;

    const read = await as(tokens.auditor).get("credentials/[id]", { id });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id, label: "deploy key", identity: { id: identity.id } });

    const same = await as(tokens.owner).post("credentials/[id]/rotate", { fingerprint: "SHA256:old+fp/1=" }, { id });
    expect(same.status).toBe(422);
    expect(same.body.error.fields).toEqual({ fingerprint: "must differ from the current fingerprint" });

    const rotated = await as(tokens.backup).post("credentials/[id]/rotate", { fingerprint: "SHA256:new", expiresAt: inDays(90) }, { id });
    expect(rotated.status).toBe(200);
    expect(rotated.body.fingerprint).toBe("SHA256:new");
    expect(new Date(rotated.body.lastRotatedAt as string).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const revoked = await as(tokens.owner).post("credentials/[id]/revoke", {}, { id });
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe("REVOKED");
    expect((await as(tokens.owner).post("credentials/[id]/revoke", {}, { id })).status).toBe(409);
    expect((await as(tokens.owner).post("credentials/[id]/rotate", { fingerprint: "SHA256:newer" }, { id })).status).toBe(409);
  });

  it("answers 422 naming bad fields, 403 for non-owners, auditors and read-only tokens, 404 for missing records", async () => {
    const identity = await createIdentity();
    const credential = (
      await as(tokens.owner).post("credentials", {
        identityId: identity.id,
        type: "PAT",
        label: "pat",
        fingerprint: "kid-7",
        issuedAt: inDays(-1),
      })
    ).body;
    const id = credential.id as string;
    const before = await snapshot();

    const bad = await as(tokens.owner).post("credentials", {
      identityId: identity.id,
      type: "PASSWORD",
      label: "",
      fingerprint: "has spaces in it",
      issuedAt: inDays(2),
    });
    expect(bad.status).toBe(422);
    // Every problem in one answer, the future issue date included.
    expect(Object.keys(bad.body.error.fields as object).sort()).toEqual(["fingerprint", "issuedAt", "label", "type"]);
    const future = await as(tokens.owner).post("credentials", {
      identityId: identity.id,
      type: "PAT",
      label: "pat",
      fingerprint: "kid-8",
      issuedAt: inDays(2),
    });
    expect(future.body.error.fields).toEqual({ issuedAt: "cannot be in the future" });

    for (const token of [tokens.other, tokens.auditor, tokens.ownerReadOnly]) {
      expect(
        (
          await as(token).post("credentials", {
            identityId: identity.id,
            type: "PAT",
            label: "x",
            fingerprint: "kid-9",
            issuedAt: inDays(-1),
          })
        ).status,
      ).toBe(403);
      expect((await as(token).post("credentials/[id]/rotate", { fingerprint: "kid-10" }, { id })).status).toBe(403);
      expect((await as(token).post("credentials/[id]/revoke", {}, { id })).status).toBe(403);
    }

    expect((await as(tokens.owner).get("credentials/[id]", { id: "no-such-credential" })).status).toBe(404);
    expect((await as(tokens.owner).post("credentials/[id]/rotate", { fingerprint: "kid-11" }, { id: "no-such-credential" })).status).toBe(
      404,
    );
    expect((await as(tokens.owner).post("credentials/[id]/revoke", {}, { id: "no-such-credential" })).status).toBe(404);
    expect(
      (
        await as(tokens.owner).post("credentials", {
          identityId: "no-such-identity",
          type: "PAT",
          label: "x",
          fingerprint: "kid-12",
          issuedAt: inDays(-1),
        })
      ).status,
    ).toBe(404);
    expect(await snapshot()).toEqual(before);
  });
});
