import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { Autonomy, CredentialType, Environment, IdentityKind, IdentityStatus, RiskTier } from "@/lib/db/generated/enums";
import { DAY_MS } from "@/lib/time";
import { filterCombinations, seededRandom } from "../../scripts/bench-combinations";
import { executeMutation } from "@/lib/auth/mutation";
import { systemActor } from "@/lib/testing/factories";
import { createCredential, revokeCredential, rotateCredential } from "./credentials";
import { retireIdentity, updateIdentity } from "./identities";
import { SHORT_LIVED_CREDENTIAL_TYPES } from "./risk";
import {
  countIdentitiesEach,
  countIdentitiesWithin,
  CREDENTIAL_AGE_BUCKETS,
  findIdentitiesAfter,
  findIdentitiesPage,
  inventoryOrderBy,
  inventoryRowSelect,
  parseInventoryQuery,
  SORTABLE_COLUMNS,
  streamIdentities,
  type InventoryQuery,
} from "./query";

// The inventory's list moved from Prisma's findMany to hand-written SQL
// (query-sql.ts). This checks, against a real database, that hundreds of
// filter combinations, every sort and both directions select exactly the rows,
// in exactly the order, that the Prisma query selected before; for numbered
// pages, cursor pages, the export's stream and the dashboard's counts.

const NOW = new Date();
const at = (days: number) => new Date(NOW.getTime() + days * DAY_MS);

/** The filters as they were written for Prisma before the move: the reference the SQL must match. */
function previousPrismaWhere(query: InventoryQuery, now: Date): Prisma.AiIdentityWhereInput {
  const and: Prisma.AiIdentityWhereInput[] = [];
  const live: IdentityStatus[] = ["PROPOSED", "ACTIVE", "SUSPENDED"];
  if (query.status) and.push({ status: { in: query.status } });
  if (query.kind) and.push({ kind: { in: query.kind } });
  if (query.environment) and.push({ environment: { in: query.environment } });
  if (query.autonomy) and.push({ autonomy: { in: query.autonomy } });
  if (query.risk) and.push({ riskTier: { in: query.risk } });
  if (query.ownerId) and.push({ ownerId: query.ownerId });
  if (query.teamId) and.push({ teamId: query.teamId });
  if (query.orphaned !== undefined) and.push(query.orphaned ? { orphanedAt: { not: null } } : { orphanedAt: null });
  if (query.reviewOverdue) and.push({ status: { in: live }, nextReviewAt: { lt: now } });
  if (query.expiresWithinDays !== undefined)
    and.push({ status: { in: live }, expiresAt: { gte: now, lt: new Date(now.getTime() + query.expiresWithinDays * DAY_MS) } });
  if (query.longLivedCredential !== undefined) {
    const longLived: Prisma.CredentialWhereInput = {
      status: "ACTIVE",
      // The constant, not a copy: the database's triggers list the same types and must agree with it.
      type: { notIn: SHORT_LIVED_CREDENTIAL_TYPES },
      OR: [{ expiresAt: null }, { issuedAt: { lt: new Date(now.getTime() - 90 * DAY_MS) } }],
    };
    and.push(query.longLivedCredential ? { credentials: { some: longLived } } : { credentials: { none: longLived } });
  }
  if (query.credentialAge) {
    const [minDays, maxDays] = CREDENTIAL_AGE_BUCKETS[query.credentialAge];
    const issuedAt: Prisma.DateTimeFilter = { lte: new Date(now.getTime() - minDays * DAY_MS) };
    if (maxDays !== null) issuedAt.gt = new Date(now.getTime() - maxDays * DAY_MS);
    and.push({ credentials: { some: { status: "ACTIVE", issuedAt } } });
  }
  if (query.q) {
    const contains = { contains: query.q, mode: "insensitive" as const };
    and.push({ OR: [{ name: contains }, { vendor: contains }, { product: contains }, { model: contains }, { purpose: contains }] });
  }
  return and.length > 0 ? { AND: and } : {};
}

async function previousIds(query: InventoryQuery): Promise<string[]> {
  const rows = await prisma.aiIdentity.findMany({
    where: previousPrismaWhere(query, NOW),
    orderBy: inventoryOrderBy(query),
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

const SPACE = { owners: 4, teams: 3, words: ["claude", "copilot", "deploys", "mend", "gpt", "x"] };
const IDENTITIES = 90;

beforeAll(async () => {
  // Owners named so that sorting by owner has ties (two "Sam"s) and a person with no name at all.
  const ownerNames = ["Sam", "Sam", null, "Alex"];
  for (let n = 1; n <= SPACE.owners; n += 1)
    await prisma.user.create({ data: { id: `scale-user-${n}`, email: `owner${n}@example.com`, name: ownerNames[n - 1] } });
  for (let n = 1; n <= SPACE.teams; n += 1) await prisma.team.create({ data: { id: `scale-team-${n}`, name: `Team ${4 - n}` } });
  const random = seededRandom(42);
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
  const words = ["claude-code", "copilot", "mend-renovate", "gpt-helper", "cursor"];
  for (let g = 1; g <= IDENTITIES; g += 1) {
    await prisma.aiIdentity.create({
      data: {
        id: `scale-identity-${String(g).padStart(3, "0")}`,
        // Each name in all three environments: name ties, broken by id.
        name: `${words[Math.floor(g / 3) % words.length]}-${Math.floor(g / 3)}`,
        kind: pick(Object.values(IdentityKind)),
        environment: ["DEV", "STAGING", "PROD"][g % 3] as Environment,
        vendor: pick(["Anthropic", "GitHub", "Mend", null]),
        product: pick(["Claude Code", "Copilot", null]),
        model: pick(["gpt-5", "claude-opus", null]),
        purpose: pick(["Deploys services", "Reviews pull requests", "Answers 100% of questions"]),
        autonomy: pick(Object.values(Autonomy)),
        status: pick(Object.values(IdentityStatus)),
        riskTier: pick(Object.values(RiskTier)),
        ownerId: `scale-user-${1 + Math.floor(random() * SPACE.owners)}`,
        teamId: random() < 0.25 ? null : `scale-team-${1 + Math.floor(random() * SPACE.teams)}`,
        backupOwnerId: random() < 0.3 ? `scale-user-${1 + Math.floor(random() * SPACE.owners)}` : null,
        externalId: random() < 0.2 ? `ext-${g}` : null,
        // Whole days apart in a small range, so dates tie too.
        expiresAt: at(Math.floor(random() * 120) - 20),
        nextReviewAt: at(Math.floor(random() * 60) - 30),
        orphanedAt: random() < 0.15 ? at(-1) : null,
        credentials: {
          create: Array.from({ length: Math.floor(random() * 4) }, (_, index) => ({
            type: pick(Object.values(CredentialType)),
            label: `credential ${index}`,
            fingerprint: `SHA256:${g}-${index}`,
            issuedAt: at(-Math.floor(random() * 500)),
            expiresAt: random() < 0.3 ? null : at(Math.floor(random() * 100)),
            status: random() < 0.8 ? "ACTIVE" : "REVOKED",
          })),
        },
      },
    });
  }
});

/** Every single filter and sort, then hundreds of random combinations of two to five filters. */
const COMBINATIONS = [
  ...SORTABLE_COLUMNS.flatMap((sort) => [`sort=${sort}&dir=asc`, `sort=${sort}&dir=desc`]),
  "status=ACTIVE",
  "kind=CI_BOT,OTHER",
  "environment=PROD",
  "autonomy=AUTONOMOUS",
  "risk=HIGH,CRITICAL",
  "ownerId=scale-user-3",
  "teamId=scale-team-2",
  "reviewOverdue=1",
  "orphaned=1",
  "orphaned=0",
  "longLivedCredential=1",
  "longLivedCredential=0",
  "expiresWithinDays=30",
  "expiresWithinDays=0",
  ...Object.keys(CREDENTIAL_AGE_BUCKETS).map((bucket) => `credentialAge=${encodeURIComponent(bucket)}`),
  // Not "q=_": Prisma's contains left _ and % as wildcards, so "_" matched every row (see the last test).
  "q=CLAUDE",
  "q=deploys",
  "q=100%25",
  "q=nothing",
  ...filterCombinations(300, 7, SPACE),
];

describe("the SQL inventory query", () => {
  it("has enough matches to compare: most combinations select some rows, some select none", async () => {
    const sizes = await Promise.all(
      COMBINATIONS.map(async (text) => (await previousIds(parseInventoryQuery(new URLSearchParams(text)))).length),
    );
    expect(sizes.filter((size) => size > 0).length).toBeGreaterThan(COMBINATIONS.length / 3);
    expect(sizes).toContain(0);
  });

  it("counts many queries in one statement, by a lookup each or in one pass, as each counted alone", async () => {
    const queries = COMBINATIONS.map((text) => parseInventoryQuery(new URLSearchParams(text)));
    const alone = await Promise.all(queries.map(async (query) => (await previousIds(query)).length));
    expect(await countIdentitiesEach(prisma, queries, NOW)).toEqual(alone);
    expect(await countIdentitiesWithin(prisma, parseInventoryQuery({}), queries, NOW)).toEqual(alone);

    // The dashboard's use: the credential-age buckets of identities in use, in one pass over them.
    const live = "status=PROPOSED,ACTIVE,SUSPENDED";
    const buckets = Object.keys(CREDENTIAL_AGE_BUCKETS).map((bucket) => `credentialAge=${encodeURIComponent(bucket)}`);
    const bucketsAlone = await Promise.all(
      buckets.map(async (bucket) => (await previousIds(parseInventoryQuery(new URLSearchParams(`${bucket}&${live}`)))).length),
    );
    expect(bucketsAlone.filter((count) => count > 0).length).toBeGreaterThan(1);
    const within = await countIdentitiesWithin(
      prisma,
      parseInventoryQuery(new URLSearchParams(live)),
      buckets.map((bucket) => parseInventoryQuery(new URLSearchParams(bucket))),
      NOW,
    );
    expect(within).toEqual(bucketsAlone);
  });

  it.each(COMBINATIONS)("%s: numbered pages and counts select the rows Prisma selected, in its order", async (text) => {
    const query = parseInventoryQuery(new URLSearchParams(text));
    const expected = await previousIds(query);
    const page = await findIdentitiesPage(prisma, query, 1, 1000, NOW);
    // Whole rows, people and team included, exactly as Prisma returned them.
    const previousRows = await prisma.aiIdentity.findMany({
      where: previousPrismaWhere(query, NOW),
      orderBy: inventoryOrderBy(query),
      select: inventoryRowSelect,
    });
    expect(page.rows).toEqual(previousRows);
    expect(page.total).toBe(expected.length);
    expect(await countIdentitiesEach(prisma, [query], NOW)).toEqual([expected.length]);
    // Offsets land in the same place.
    const second = await findIdentitiesPage(prisma, query, 2, 7, NOW);
    expect(second.rows.map((row) => row.id)).toEqual(expected.slice(7, 14));
  });

  it.each(COMBINATIONS.filter((_, index) => index % 3 === 0))(
    "%s: cursor pages and the export's stream visit the same rows in the same order",
    async (text) => {
      const query = parseInventoryQuery(new URLSearchParams(text));
      const expected = await previousIds(query);
      const visited: string[] = [];
      let cursor: string | undefined;
      for (let guard = 0; guard < 100; guard += 1) {
        const page = await findIdentitiesAfter(prisma, query, cursor, 4, NOW);
        visited.push(...page.rows.map((row) => row.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(visited).toEqual(expected);
      const streamed: string[] = [];
      for await (const row of streamIdentities(prisma, query, 5, NOW)) streamed.push(row.id);
      expect(streamed).toEqual(expected);
    },
  );

  it("a cursor row that no longer matches the filter still marks the place (owner and team sorts, nulls included)", async () => {
    for (const sort of ["owner", "team", "name"]) {
      for (const dir of ["asc", "desc"]) {
        const all = await previousIds(parseInventoryQuery({ sort, dir }));
        const query = parseInventoryQuery({ sort, dir, environment: "PROD" });
        const expected = await previousIds(query);
        // Each row of the whole list as the cursor, matching the filter or not.
        for (const [position, id] of all.entries()) {
          const after = all.slice(position + 1);
          const page = await findIdentitiesAfter(prisma, query, id, 1000, NOW);
          expect(
            page.rows.map((row) => row.id),
            `${sort} ${dir} after ${id}`,
          ).toEqual(expected.filter((row) => after.includes(row)));
        }
      }
    }
  });

  it("a search is for the text typed: % and _ match only themselves", async () => {
    const percent = await findIdentitiesPage(prisma, parseInventoryQuery({ q: "100%" }), 1, 1000, NOW);
    expect(percent.rows.length).toBeGreaterThan(0);
    expect(percent.rows.every((row) => row.purpose.includes("100%"))).toBe(true);
    const underscore = await findIdentitiesPage(prisma, parseInventoryQuery({ q: "_" }), 1, 1000, NOW);
    expect(underscore.rows).toEqual([]);
  });
});

// Sort by team and the credential filters read copies each identity keeps (its team's name, dates of
// its active credentials), kept by database triggers. Every kind of change that moves them must leave
// the filters selecting what the reference query over the real tables selects.
describe("the copies the inventory filters and sorts on", () => {
  const CHECKED = [
    "longLivedCredential=1",
    "longLivedCredential=0",
    ...Object.keys(CREDENTIAL_AGE_BUCKETS).map((bucket) => `credentialAge=${encodeURIComponent(bucket)}`),
    "sort=team&dir=asc",
    "sort=team&dir=desc",
    "teamId=scale-team-1&sort=team",
  ];

  async function expectAllAgree() {
    for (const text of CHECKED) {
      const query = parseInventoryQuery(new URLSearchParams(text));
      const page = await findIdentitiesPage(prisma, query, 1, 1000, NOW);
      expect(
        page.rows.map((row) => row.id),
        text,
      ).toEqual(await previousIds(query));
      expect(await countIdentitiesEach(prisma, [query], NOW), text).toEqual([page.rows.length]);
    }
  }

  it("stay right through credential changes, retirement, team moves and renames, and SQL by hand", async () => {
    await expectAllAgree();
    const before = await Promise.all(CHECKED.map(async (text) => previousIds(parseInventoryQuery(new URLSearchParams(text)))));

    // An identity with no active credential gets a long-lived one (no expiry), then an old one.
    const bare = await prisma.aiIdentity.findFirstOrThrow({
      where: { credentials: { none: { status: "ACTIVE" } } },
      orderBy: { id: "asc" },
    });
    await executeMutation(createCredential, systemActor, {
      identityId: bare.id,
      type: "API_KEY",
      label: "added",
      fingerprint: "SHA256:added-1",
      issuedAt: at(-2).toISOString(),
    });
    const old = await executeMutation(createCredential, systemActor, {
      identityId: bare.id,
      type: "PAT",
      label: "added old",
      fingerprint: "SHA256:added-2",
      issuedAt: at(-400).toISOString(),
      expiresAt: at(30).toISOString(),
    });
    await expectAllAgree();
    // Rotating makes the old one new; revoking takes one away.
    await executeMutation(rotateCredential, systemActor, {
      credentialId: old.id,
      fingerprint: "SHA256:added-3",
      expiresAt: at(60).toISOString(),
    });
    await expectAllAgree();
    const active = await prisma.credential.findFirstOrThrow({ where: { status: "ACTIVE", expiresAt: null }, orderBy: { id: "asc" } });
    await executeMutation(revokeCredential, systemActor, { credentialId: active.id });
    await expectAllAgree();

    // Retiring revokes every credential of the identity in one statement.
    const retiring = await prisma.aiIdentity.findFirstOrThrow({
      where: { status: "ACTIVE", credentials: { some: { status: "ACTIVE" } } },
      orderBy: { id: "asc" },
    });
    await executeMutation(retireIdentity, systemActor, { identityId: retiring.id });
    await expectAllAgree();

    // Moving identities between teams and out of any team, and renaming a team past the others.
    const [first, second] = await prisma.aiIdentity.findMany({ where: { teamId: "scale-team-1" }, orderBy: { id: "asc" }, take: 2 });
    await executeMutation(updateIdentity, systemActor, { identityId: first!.id, teamId: "scale-team-2" });
    await executeMutation(updateIdentity, systemActor, { identityId: second!.id, teamId: null });
    await prisma.team.update({ where: { id: "scale-team-1" }, data: { name: "A team renamed" } });
    await expectAllAgree();

    // Written with no app code at all: many credentials changed and deleted in single statements.
    await prisma.$executeRaw`UPDATE "Credential" SET "issuedAt" = "issuedAt" - interval '200 days' WHERE "fingerprint" LIKE 'SHA256:1%'`;
    await prisma.$executeRaw`DELETE FROM "Credential" WHERE "fingerprint" LIKE 'SHA256:2%'`;
    await expectAllAgree();

    // The changes did move rows in and out of these views, so the checks above compared something.
    const after = await Promise.all(CHECKED.map(async (text) => previousIds(parseInventoryQuery(new URLSearchParams(text)))));
    expect(after.filter((ids, index) => JSON.stringify(ids) !== JSON.stringify(before[index])).length).toBeGreaterThanOrEqual(6);
  });

  it("stay right when two transactions add credentials to one identity at once", async () => {
    const identity = await prisma.aiIdentity.findFirstOrThrow({
      where: { credentials: { none: { status: "ACTIVE" } } },
      orderBy: { id: "desc" },
    });
    const credential = (fingerprint: string, issuedDaysAgo: number) => ({
      identityId: identity.id,
      type: "PAT" as const,
      label: fingerprint,
      fingerprint,
      issuedAt: at(-issuedDaysAgo),
      expiresAt: at(30),
    });
    // The first adds an old credential and waits; the second adds a new one meanwhile, and must wait
    // for the first to commit rather than compute the copies without the old credential.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const firstInserted = new Promise<void>((resolve) => (inserted = resolve));
    const first = prisma.$transaction(async (tx) => {
      await tx.credential.create({ data: credential("SHA256:concurrent-old", 400) });
      inserted();
      await released;
    });
    await firstInserted;
    const second = prisma.$transaction((tx) => tx.credential.create({ data: credential("SHA256:concurrent-new", 1) }));
    // Let the first commit only once the second is waiting for it.
    for (let tries = 0; tries < 500; tries += 1) {
      const [waiting] = await prisma.$queryRaw<{ count: number }[]>`
        SELECT count(*)::int AS "count" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
      if (waiting!.count > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    release();
    await Promise.all([first, second]);

    const oldCredentials = await findIdentitiesPage(prisma, parseInventoryQuery({ credentialAge: "365+" }), 1, 1000, NOW);
    expect(oldCredentials.rows.map((row) => row.id)).toContain(identity.id);
    await expectAllAgree();
  });
});
