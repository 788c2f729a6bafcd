import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import type { Environment, IdentityKind } from "@/lib/db/generated/enums";
import { createIdentity, suspendIdentity } from "@/lib/inventory/identities";
import { findIdentitiesPage, parseInventoryQuery } from "@/lib/inventory/query";
import { createTestToken, createTestUser, systemActor } from "@/lib/testing/factories";

// GET /api/v1/identities: the browser table's filters, search and sort, paged
// by cursor. Every walk below must visit each matching row exactly once, in
// the order the browser table shows them.

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
type Body = Record<string, any>;
const DAY_MS = 86_400_000;

async function list(token: string | undefined, query: string) {
  const { GET } = (await import(path.resolve("app/api/v1/identities/route.ts"))) as { GET: Handler };
  const response = await GET(
    new Request(`http://localhost/api/v1/identities?${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }),
    { params: Promise.resolve({}) },
  );
  return { status: response.status, body: (await response.json()) as Body };
}

/** Follows nextCursor to the end; returns every id in the order served. */
async function walk(token: string, query: string, limit: number) {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const { status, body }: { status: number; body: Body } = await list(
      token,
      `${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
    );
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.data.length).toBeLessThanOrEqual(limit);
    ids.push(...(body.data as { id: string }[]).map((row) => row.id));
    cursor = body.nextCursor as string | null;
    pages += 1;
  } while (cursor && pages < 1000);
  return ids;
}

interface Fixture {
  id: string;
  name: string;
  kind: IdentityKind;
  environment: Environment;
  ownerId: string;
  suspended: boolean;
}

const KINDS: IdentityKind[] = ["CODING_AGENT", "CI_BOT", "MCP_SERVER"];
const ENVIRONMENTS: Environment[] = ["DEV", "STAGING", "PROD"];
let fixtures: Fixture[] = [];
let ownerB: string;
let token: string;
let auditorToken: string;

beforeAll(async () => {
  const a = await createTestUser([]);
  const b = await createTestUser([]);
  ownerB = b.user.id;
  token = await createTestToken(a.user.email, ["READ"]);
  auditorToken = await createTestToken((await createTestUser(["AUDITOR"])).user.email, ["READ"]);
  // Four expiry dates shared by 36 identities, so sorting by expiry ties often.
  const expiries = [30, 60, 90, 400].map((days) => new Date(Date.now() + days * DAY_MS));
  for (let i = 0; i < 36; i += 1) {
    const fixture = {
      name: `Fleet-${String(i).padStart(2, "0")}`,
      kind: KINDS[i % 3]!,
      environment: ENVIRONMENTS[Math.floor(i / 3) % 3]!,
      ownerId: i % 4 === 0 ? b.user.id : a.user.id,
      suspended: i % 5 === 0,
    };
    const created = await executeMutation(createIdentity, systemActor, {
      ...fixture,
      purpose: "fleet member",
      expiresAt: expiries[i % 4],
      reviewCadenceDays: 30 + (i % 2) * 60,
    });
    if (fixture.suspended) await executeMutation(suspendIdentity, systemActor, { identityId: created.id });
    fixtures.push({ ...fixture, id: created.id });
  }
}, 120_000);

describe("GET /api/v1/identities", () => {
  const QUERIES = [
    "q=fleet&kind=CODING_AGENT,CI_BOT&environment=DEV&environment=PROD&sort=expiresAt&dir=desc",
    "q=FLEET&status=SUSPENDED",
    "sort=owner",
    "sort=name&dir=desc",
    "risk=LOW&sort=riskTier&dir=desc",
    "expiresWithinDays=100&sort=nextReviewAt",
    "status=ACTIVE&sort=createdAt",
  ];

  it.each(QUERIES)("serves %s exactly like the inventory table, every row once across pages", async (query) => {
    const expected = (await findIdentitiesPage(prisma, parseInventoryQuery(new URLSearchParams(query)), 1, 10_000)).rows.map(
      (row) => row.id,
    );
    expect(expected.length).toBeGreaterThan(3);
    for (const limit of [1, 4, 7]) {
      const served = await walk(token, query, limit);
      expect(new Set(served).size, "a row was served twice").toBe(served.length);
      expect(served).toEqual(expected);
    }
  });

  it("matches the filters' meaning, checked against the fixtures themselves", async () => {
    const served = await walk(token, "q=fleet&kind=CODING_AGENT,CI_BOT&environment=DEV&environment=PROD", 5);
    const expected = fixtures.filter((f) => ["CODING_AGENT", "CI_BOT"].includes(f.kind) && ["DEV", "PROD"].includes(f.environment));
    expect([...served].sort()).toEqual(expected.map((f) => f.id).sort());

    const ownedByB = await walk(token, `ownerId=${ownerB}&status=SUSPENDED`, 3);
    expect([...ownedByB].sort()).toEqual(
      fixtures
        .filter((f) => f.ownerId === ownerB && f.suspended)
        .map((f) => f.id)
        .sort(),
    );

    const { body } = await list(token, "q=fleet-07");
    expect(body.data).toHaveLength(1);
    const { id, name, kind, environment, ownerId } = fixtures[7]!;
    expect(body.data[0]).toMatchObject({ id, name, kind, environment, owner: { id: ownerId } });
  });

  it("keeps paging stable when rows are added between pages", async () => {
    const first = await list(token, "q=fleet&sort=name&limit=10");
    const seen = (first.body.data as { id: string }[]).map((row) => row.id);
    await executeMutation(createIdentity, systemActor, {
      name: "Fleet-00a",
      kind: "OTHER",
      purpose: "late arrival",
      environment: "DEV",
      ownerId: fixtures[0]!.ownerId,
      expiresAt: new Date(Date.now() + 10 * DAY_MS),
    });
    let cursor = first.body.nextCursor as string | null;
    while (cursor) {
      const page = await list(token, `q=fleet&sort=name&limit=10&cursor=${cursor}`);
      seen.push(...(page.body.data as { id: string }[]).map((row) => row.id));
      cursor = page.body.nextCursor as string | null;
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const fixture of fixtures) expect(seen).toContain(fixture.id);
  });

  // With Prisma's `cursor` + `skip: 1`, a cursor row that stops matching the
  // filter between pages (here: suspended while the client pages through
  // status=ACTIVE) would make the next page skip a real row instead
  // (lib/db/cursor-page.ts drops the cursor row by id).
  it("does not lose a row when the cursor row leaves the filter between pages", async () => {
    const query = "q=fleet&status=ACTIVE&sort=name&limit=5";
    const expected = await walk(token, "q=fleet&status=ACTIVE&sort=name", 100);
    const first = await list(token, query);
    const cursor = first.body.nextCursor as string;
    await executeMutation(suspendIdentity, systemActor, { identityId: cursor });
    fixtures = fixtures.map((f) => (f.id === cursor ? { ...f, suspended: true } : f));
    const second = await list(token, `${query}&cursor=${cursor}`);
    expect((second.body.data as { id: string }[]).map((row) => row.id)).toEqual(expected.slice(5, 10));
  });

  it("pages 100 rows by default and at most 500", async () => {
    const owner = fixtures[0]!.ownerId;
    await prisma.aiIdentity.createMany({
      data: Array.from({ length: 105 }, (_, i) => ({
        name: `bulk-${i}`,
        kind: "OTHER" as const,
        purpose: "bulk",
        environment: "DEV" as const,
        ownerId: owner,
        expiresAt: new Date(Date.now() + DAY_MS),
        nextReviewAt: new Date(Date.now() + DAY_MS),
      })),
    });
    const first = await list(token, "q=bulk-");
    expect(first.body.data).toHaveLength(100);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await list(token, `q=bulk-&cursor=${first.body.nextCursor}`);
    expect(second.body.data).toHaveLength(5);
    expect(second.body.nextCursor).toBeNull();
    expect((await list(token, "q=bulk-&limit=500")).body.data).toHaveLength(105);
  });

  it("answers 422 naming each bad or unknown parameter", async () => {
    const cases: [string, Record<string, unknown>][] = [
      ["limit=501", { limit: "must be at most 500" }],
      ["limit=0", { limit: "must be at least 1" }],
      ["limit=ten", { limit: "must be a number" }],
      ["limit=2.5", { limit: "must be a whole number" }],
      ["cursor=not-a-row", { cursor: "is not a cursor from this list" }],
      ["sort=colour", { sort: expect.stringMatching(/^must be one of name, kind/) }],
      ["dir=sideways", { dir: 'must be "asc" or "desc"' }],
      ["expiresWithinDays=-1", { expiresWithinDays: "must be 0 or more" }],
      ["stauts=ACTIVE", { stauts: "is not a known parameter" }],
    ];
    for (const [query, fields] of cases) {
      const { status, body } = await list(token, query);
      expect(status, query).toBe(422);
      expect(body.error.code).toBe("validation_failed");
      expect(body.error.fields, query).toEqual(fields);
    }
    const badStatus = await list(token, "status=ACTIVE,BOGUS");
    expect(badStatus.status).toBe(422);
    expect(Object.keys(badStatus.body.error.fields as object)).toEqual(["status"]);
  });

  it("needs a token with inventory:read (401 without); auditors may list", async () => {
    expect((await list(undefined, "")).status).toBe(401);
    expect((await list("wrt_not-a-real-token", "")).status).toBe(401);
    const audited = await list(auditorToken, "q=fleet&limit=2");
    expect(audited.status).toBe(200);
    expect(audited.body.data).toHaveLength(2);
  });
});
