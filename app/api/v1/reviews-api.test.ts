import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { apiAs, callApi } from "@/lib/testing/api-client";
import { createTestToken, createTestUser } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";

// Reviews over HTTP: the real route handlers with real requests against a
// real database, checking what a client sees and what was stored.

const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();

let users: Record<"owner" | "backup" | "other", { id: string }>;
let api: Record<"owner" | "backup" | "other" | "lead" | "auditor", ReturnType<typeof apiAs>>;
let ownerToken: string;
let counter = 0;

async function registerIdentity(ownerId = users.owner.id) {
  counter += 1;
  const { status, body } = await api.lead.post("identities", {
    name: `api-reviewed-${counter}`,
    kind: "MCP_SERVER",
    purpose: "Reads tickets for the triage agent",
    environment: "STAGING",
    ownerId,
    backupOwnerId: users.backup.id,
    expiresAt: inDays(120),
  });
  expect(status).toBe(201);
  return body as { id: string; name: string };
}

const keep = { stillNeeded: true, purposeUnchanged: true, permissionsMinimal: true, credentialsRotated: true, outcome: "KEEP" };

beforeAll(async () => {
  const owner = await createTestUser([]);
  const backup = await createTestUser([]);
  const other = await createTestUser([]);
  const lead = await createTestUser(["SECURITY_LEAD"]);
  const auditor = await createTestUser(["AUDITOR"]);
  users = { owner: owner.user, backup: backup.user, other: other.user };
  ownerToken = await createTestToken(owner.user.email);
  api = {
    owner: apiAs(ownerToken),
    backup: apiAs(await createTestToken(backup.user.email)),
    other: apiAs(await createTestToken(other.user.email)),
    lead: apiAs(await createTestToken(lead.user.email)),
    auditor: apiAs(await createTestToken(auditor.user.email, ["READ", "WRITE"])),
  };
});

describe("POST /api/v1/reviews", () => {
  it("opens a review (201), refuses a second (409), a bad due date (422 naming dueAt) and a colleague (403)", async () => {
    const identity = await registerIdentity();
    const dueAt = inDays(7);
    const opened = await api.lead.post("reviews", { identityId: identity.id, dueAt, reason: "new model rolled out" });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({
      identityId: identity.id,
      status: "OPEN",
      trigger: "MANUAL",
      dueAt,
      reason: "new model rolled out",
    });

    const again = await api.lead.post("reviews", { identityId: identity.id });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("conflict");

    const other = await registerIdentity();
    const past = await api.lead.post("reviews", { identityId: other.id, dueAt: "2020-01-01" });
    expect(past.status).toBe(422);
    expect(past.body.error.fields).toEqual({ dueAt: "must be in the future" });
    const colleague = await api.other.post("reviews", { identityId: other.id });
    expect(colleague.status).toBe(403);
    const auditor = await api.auditor.post("reviews", { identityId: other.id });
    expect(auditor.status).toBe(403);
    const missing = await api.lead.post("reviews", { identityId: "no-such-identity" });
    expect(missing.status).toBe(404);
    expect(await prisma.review.count({ where: { identityId: other.id } })).toBe(0);
  });
});

describe("POST /api/v1/reviews/{id}/attest", () => {
  it("lets the owner attest (200) and refuses the security lead (403), bad answers (422) and a second attestation (409)", async () => {
    const identity = await registerIdentity();
    const review = (await api.lead.post("reviews", { identityId: identity.id })).body;

    const lead = await api.lead.post("reviews/[id]/attest", keep, { id: review.id });
    expect(lead.status).toBe(403);
    const bad = await api.owner.post("reviews/[id]/attest", { ...keep, stillNeeded: "perhaps", outcome: "KEEP" }, { id: review.id });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields).toEqual({ stillNeeded: "answer yes or no" });
    // A preview answers as if attested and changes nothing.
    const preview = await callApi("POST", "reviews/[id]/attest", ownerToken, { params: { id: review.id }, body: keep, query: "dryRun=1" });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ id: review.id, status: "COMPLETED" });
    expect(await prisma.review.findUniqueOrThrow({ where: { id: review.id } })).toMatchObject({ status: "OPEN", outcome: null });

    // A body cannot point the attestation at another review: the path wins.
    const attested = await api.owner.post("reviews/[id]/attest", { ...keep, reviewId: "elsewhere" }, { id: review.id });
    expect(attested.status).toBe(200);
    expect(attested.body).toMatchObject({ id: review.id, status: "COMPLETED", outcome: "KEEP", attestedById: users.owner.id });

    const twice = await api.backup.post("reviews/[id]/attest", keep, { id: review.id });
    expect(twice.status).toBe(409);
    const unknown = await api.owner.post("reviews/[id]/attest", keep, { id: "no-such-review" });
    expect(unknown.status).toBe(404);
  });
});

describe("GET /api/v1/reviews", () => {
  it("lists soonest due first with filters (mine, status, overdue), cursor paging and 422 for unknown params", async () => {
    const mine = await registerIdentity();
    const theirs = await registerIdentity(users.other.id);
    const mineReview = (await api.lead.post("reviews", { identityId: mine.id, dueAt: inDays(3) })).body;
    const theirReview = (await api.lead.post("reviews", { identityId: theirs.id, dueAt: inDays(2) })).body;
    // An overdue one: the due date passed without an attestation.
    const late = await registerIdentity();
    const lateReview = (await api.lead.post("reviews", { identityId: late.id })).body;
    await prisma.review.update({ where: { id: lateReview.id }, data: { dueAt: new Date(Date.now() - DAY_MS) } });

    const owed = await api.owner.get("reviews", undefined, "mine=1&status=OPEN");
    expect(owed.status).toBe(200);
    const owedIds = owed.body.data.map((review: { id: string }) => review.id);
    expect(owedIds).toContain(mineReview.id);
    expect(owedIds).toContain(lateReview.id);
    expect(owedIds).not.toContain(theirReview.id);
    expect(owed.body.data[0].identity).toMatchObject({ name: expect.any(String), owner: { id: users.owner.id } });

    const overdue = await api.auditor.get("reviews", undefined, "overdue=1");
    expect(overdue.body.data.map((review: { id: string }) => review.id)).toEqual([lateReview.id]);

    const all = await api.auditor.get("reviews", undefined, "status=OPEN");
    const dueDates = all.body.data.map((review: { dueAt: string }) => review.dueAt);
    expect(dueDates).toEqual([...dueDates].sort());
    const first = await api.auditor.get("reviews", undefined, "status=OPEN&limit=1");
    expect(first.body.data).toHaveLength(1);
    const second = await api.auditor.get("reviews", undefined, `status=OPEN&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.data[0].id).toBe(all.body.data[1].id);

    const unknownParam = await api.auditor.get("reviews", undefined, "owner=me");
    expect(unknownParam.status).toBe(422);
    expect(unknownParam.body.error.fields).toHaveProperty("owner");
    const badStatus = await api.auditor.get("reviews", undefined, "status=DONE");
    expect(badStatus.status).toBe(422);
    expect(badStatus.body.error.fields).toEqual({ status: "must be one of OPEN, COMPLETED, CANCELLED" });
    const badCursor = await api.auditor.get("reviews", undefined, "cursor=nope");
    expect(badCursor.body.error.fields).toEqual({ cursor: "is not a cursor from this list" });
  });

  it("GET /api/v1/reviews/{id} answers the review with its identity, or 404", async () => {
    const identity = await registerIdentity();
    const review = (await api.lead.post("reviews", { identityId: identity.id, reason: "spot check" })).body;
    const found = await api.auditor.get("reviews/[id]", { id: review.id });
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ id: review.id, reason: "spot check", identity: { id: identity.id, name: identity.name } });
    expect((await api.auditor.get("reviews/[id]", { id: "missing" })).status).toBe(404);
  });

  it("GET /api/v1/reviews/{id} of a review a change opened says what changed, who handed it over, and what changed since the last attestation", async () => {
    const identity = await registerIdentity();
    expect((await api.lead.patch("identities/[id]", { model: "claude-opus-4", ownerId: users.other.id }, { id: identity.id })).status).toBe(
      200,
    );
    const [listed] = (await api.auditor.get("reviews", undefined, `identityId=${identity.id}&status=OPEN`)).body.data;
    const found = await api.auditor.get("reviews/[id]", { id: listed.id });
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({
      trigger: "CHANGE",
      handoverFrom: { id: users.owner.id },
      changes: [
        { field: "model", from: null, to: "claude-opus-4", at: expect.any(String), byLabel: expect.any(String) },
        { field: "owner", to: expect.any(String) },
      ],
      changesSinceLastAttestation: {
        since: null,
        truncated: false,
        rows: [
          { what: "model", from: null, to: "claude-opus-4", at: expect.any(String), by: expect.any(String) },
          { what: "owner", from: expect.any(String), to: expect.any(String) },
        ],
      },
    });
  });
});
