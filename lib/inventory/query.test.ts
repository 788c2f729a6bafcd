import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import type {
  Autonomy,
  CredentialStatus,
  CredentialType,
  Environment,
  IdentityKind,
  IdentityStatus,
  RiskTier,
} from "@/lib/db/generated/enums";
import { AppError } from "@/lib/errors";
import {
  countFromGroups,
  countIdentityGroups,
  countLimitFor,
  EXACT_COUNT_LIMIT,
  findIdentitiesAfter,
  findIdentitiesPage,
  parseInventoryQuery,
  SEARCH_COUNT_LIMIT,
  streamIdentities,
} from "./query";
import { parseInventoryView } from "./view";

// The inventory query over a small, deliberate inventory: each filter is
// checked against the exact set of names a person reading the fixture below
// would expect.

const NOW = new Date();
const DAY = 24 * 60 * 60 * 1000;
const days = (n: number) => new Date(NOW.getTime() + n * DAY);

interface Fixture {
  name: string;
  kind: IdentityKind;
  environment: Environment;
  status: IdentityStatus;
  autonomy: Autonomy;
  riskTier: RiskTier;
  owner: "ann" | "bob";
  team: "t1" | "t2" | null;
  expiresInDays: number;
  reviewInDays: number;
  orphaned?: boolean;
  vendor?: string;
  purpose?: string;
  credentials?: { type: CredentialType; ageDays: number; expiresInDays?: number; status?: CredentialStatus }[];
}

const FIXTURES: Fixture[] = [
  {
    name: "alpha-ide",
    kind: "IDE_ASSISTANT",
    environment: "DEV",
    status: "ACTIVE",
    autonomy: "SUGGEST",
    riskTier: "LOW",
    owner: "ann",
    team: "t1",
    expiresInDays: 200,
    reviewInDays: 30,
    vendor: "GitHub",
    credentials: [{ type: "OAUTH_TOKEN", ageDays: 10, expiresInDays: 30 }],
  },
  // An old PAT (issued 400 days ago) is long-lived even though it has an expiry.
  {
    name: "bravo-agent",
    kind: "CODING_AGENT",
    environment: "PROD",
    status: "ACTIVE",
    autonomy: "EXECUTE",
    riskTier: "CRITICAL",
    owner: "ann",
    team: "t1",
    expiresInDays: 90,
    reviewInDays: -10,
    vendor: "Anthropic",
    credentials: [{ type: "PAT", ageDays: 400, expiresInDays: 30 }],
  },
  // A new key without an expiry is long-lived.
  {
    name: "charlie-bot",
    kind: "CI_BOT",
    environment: "PROD",
    status: "SUSPENDED",
    autonomy: "DRAFT",
    riskTier: "HIGH",
    owner: "bob",
    team: "t2",
    expiresInDays: 20,
    reviewInDays: -40,
    vendor: "Mend",
    credentials: [{ type: "API_KEY", ageDays: 5 }],
  },
  // A cloud role is short-lived by construction, however old.
  {
    name: "delta-mcp",
    kind: "MCP_SERVER",
    environment: "STAGING",
    status: "PROPOSED",
    autonomy: "AUTONOMOUS",
    riskTier: "MEDIUM",
    owner: "bob",
    team: null,
    expiresInDays: 5,
    reviewInDays: 10,
    credentials: [{ type: "CLOUD_ROLE", ageDays: 500 }],
  },
  // Retired and expired identities are never "overdue" or "expiring".
  {
    name: "echo-retired",
    kind: "PLUGIN",
    environment: "DEV",
    status: "RETIRED",
    autonomy: "DRAFT",
    riskTier: "LOW",
    owner: "ann",
    team: "t2",
    expiresInDays: -20,
    reviewInDays: -50,
  },
  {
    name: "foxtrot-expired",
    kind: "CI_BOT",
    environment: "STAGING",
    status: "EXPIRED",
    autonomy: "AUTONOMOUS",
    riskTier: "HIGH",
    owner: "bob",
    team: "t1",
    expiresInDays: -3,
    reviewInDays: -100,
    credentials: [{ type: "SSH_KEY", ageDays: 900, status: "REVOKED" }],
  },
  {
    name: "golf-orphan",
    kind: "CHAT_INTEGRATION",
    environment: "PROD",
    status: "ACTIVE",
    autonomy: "DRAFT",
    riskTier: "MEDIUM",
    owner: "bob",
    team: "t2",
    expiresInDays: 60,
    reviewInDays: -5,
    orphaned: true,
    vendor: "Acme",
    purpose: "Summarises INCIDENT channels",
    credentials: [{ type: "OAUTH_TOKEN", ageDays: 200, expiresInDays: 100 }],
  },
  {
    name: "hotel-jit",
    kind: "CI_BOT",
    environment: "PROD",
    status: "ACTIVE",
    autonomy: "EXECUTE",
    riskTier: "LOW",
    owner: "ann",
    team: "t1",
    expiresInDays: 250,
    reviewInDays: 70,
    credentials: [
      { type: "JIT_TOKEN", ageDays: 0 },
      { type: "API_KEY", ageDays: 10, status: "REVOKED" },
    ],
  },
  {
    name: "india-other",
    kind: "OTHER",
    environment: "DEV",
    status: "ACTIVE",
    autonomy: "SUGGEST",
    riskTier: "LOW",
    owner: "ann",
    team: null,
    expiresInDays: 31,
    reviewInDays: 1,
    vendor: "Mendix",
    purpose: "Internal helper",
  },
  {
    name: "juliet-revoked",
    kind: "OTHER",
    environment: "PROD",
    status: "REVOKED",
    autonomy: "SUGGEST",
    riskTier: "LOW",
    owner: "bob",
    team: "t1",
    expiresInDays: 10,
    reviewInDays: -1,
  },
];
const ALL = FIXTURES.map((fixture) => fixture.name).sort();

let ids: { ann: string; bob: string; t1: string; t2: string };

beforeAll(async () => {
  const ann = await prisma.user.create({ data: { email: "ann@example.com", name: "Ann Owner" } });
  const bob = await prisma.user.create({ data: { email: "bob@example.com", name: "Bob Owner" } });
  const t1 = await prisma.team.create({ data: { name: "Team One" } });
  const t2 = await prisma.team.create({ data: { name: "Team Two" } });
  ids = { ann: ann.id, bob: bob.id, t1: t1.id, t2: t2.id };
  for (const fixture of FIXTURES) {
    await prisma.aiIdentity.create({
      data: {
        name: fixture.name,
        kind: fixture.kind,
        environment: fixture.environment,
        status: fixture.status,
        autonomy: fixture.autonomy,
        riskTier: fixture.riskTier,
        vendor: fixture.vendor,
        purpose: fixture.purpose ?? `Purpose of ${fixture.name}`,
        ownerId: ids[fixture.owner],
        teamId: fixture.team ? ids[fixture.team] : null,
        expiresAt: days(fixture.expiresInDays),
        nextReviewAt: days(fixture.reviewInDays),
        orphanedAt: fixture.orphaned ? days(-1) : null,
        credentials: {
          create: (fixture.credentials ?? []).map((credential, index) => ({
            type: credential.type,
            label: `credential ${index}`,
            fingerprint: `SHA256:${fixture.name}-${index}`,
            issuedAt: days(-credential.ageDays),
            expiresAt: credential.expiresInDays === undefined ? null : days(credential.expiresInDays),
            status: credential.status ?? "ACTIVE",
          })),
        },
      },
    });
  }
});

/** Names of every row the query string matches, sorted, read through the paged browser query. */
async function names(queryString: string): Promise<string[]> {
  const query = parseInventoryQuery(new URLSearchParams(queryString));
  const { rows, total } = await findIdentitiesPage(prisma, query, 1, 100, NOW);
  expect(rows).toHaveLength(total);
  return rows.map((row) => row.name).sort();
}

/** The URL params an error names: the first segment of each field path, sorted. */
function paramsNamed(error: AppError | undefined): string[] {
  return Object.keys(error?.fields ?? {})
    .map((field) => field.split(".")[0]!)
    .sort();
}

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected the params to be refused");
}

describe("filters", () => {
  it.each([
    ["", ALL],
    ["status=ACTIVE", ["alpha-ide", "bravo-agent", "golf-orphan", "hotel-jit", "india-other"]],
    ["status=SUSPENDED,PROPOSED", ["charlie-bot", "delta-mcp"]],
    ["status=SUSPENDED&status=PROPOSED", ["charlie-bot", "delta-mcp"]],
    ["kind=CI_BOT", ["charlie-bot", "foxtrot-expired", "hotel-jit"]],
    ["environment=PROD", ["bravo-agent", "charlie-bot", "golf-orphan", "hotel-jit", "juliet-revoked"]],
    ["environment=STAGING", ["delta-mcp", "foxtrot-expired"]],
    ["autonomy=AUTONOMOUS", ["delta-mcp", "foxtrot-expired"]],
    ["risk=HIGH,CRITICAL", ["bravo-agent", "charlie-bot", "foxtrot-expired"]],
    ["orphaned=1", ["golf-orphan"]],
    ["orphaned=0", ALL.filter((name) => name !== "golf-orphan")],
    ["reviewOverdue=1", ["bravo-agent", "charlie-bot", "golf-orphan"]],
    ["expiresWithinDays=30", ["charlie-bot", "delta-mcp"]],
    ["expiresWithinDays=0", []],
    ["longLivedCredential=1", ["bravo-agent", "charlie-bot", "golf-orphan"]],
    ["longLivedCredential=0", ["alpha-ide", "delta-mcp", "echo-retired", "foxtrot-expired", "hotel-jit", "india-other", "juliet-revoked"]],
    ["q=mend", ["charlie-bot", "india-other"]],
    ["q=incident", ["golf-orphan"]],
    ["q=BRAVO", ["bravo-agent"]],
    ["q=nothing-like-this", []],
    ["environment=PROD&reviewOverdue=1", ["bravo-agent", "charlie-bot", "golf-orphan"]],
    ["environment=PROD&status=ACTIVE&reviewOverdue=1&longLivedCredential=1", ["bravo-agent", "golf-orphan"]],
  ])("%j matches exactly the expected identities", async (queryString, expected) => {
    expect(await names(queryString)).toEqual(expected);
  });

  it("filters by owner and by team", async () => {
    expect(await names(`ownerId=${ids.ann}`)).toEqual(["alpha-ide", "bravo-agent", "echo-retired", "hotel-jit", "india-other"]);
    expect(await names(`teamId=${ids.t1}`)).toEqual(["alpha-ide", "bravo-agent", "foxtrot-expired", "hotel-jit", "juliet-revoked"]);
    expect(await names(`ownerId=${ids.bob}&teamId=${ids.t2}&longLivedCredential=1`)).toEqual(["charlie-bot", "golf-orphan"]);
  });
});

describe("counting from identity groups (the dashboard's)", () => {
  it.each([
    ["", ALL.length],
    ["status=ACTIVE", 5],
    ["status=SUSPENDED,PROPOSED", 2],
    ["kind=CI_BOT&environment=PROD", 2],
    ["risk=HIGH,CRITICAL&status=ACTIVE,SUSPENDED,PROPOSED", 2],
    ["environment=STAGING&kind=MCP_SERVER,CI_BOT&risk=LOW,MEDIUM,HIGH,CRITICAL", 2],
  ])("%j gives the count of the identities the filter shows", async (queryString, expected) => {
    const query = parseInventoryQuery(new URLSearchParams(queryString));
    const shown = (await findIdentitiesPage(prisma, query, 1, 100)).total;
    expect(shown).toBe(expected);
    expect(countFromGroups(await countIdentityGroups(prisma), query)).toBe(shown);
  });

  it("refuses a filter it cannot count by, instead of ignoring it", async () => {
    const groups = await countIdentityGroups(prisma);
    expect(() => countFromGroups(groups, parseInventoryQuery(new URLSearchParams("status=ACTIVE&orphaned=1")))).toThrow(
      /cannot count by orphaned/,
    );
    expect(() => countFromGroups(groups, parseInventoryQuery(new URLSearchParams("q=bravo")))).toThrow(/cannot count by q/);
  });
});

describe("sorting", () => {
  async function order(queryString: string) {
    const { rows } = await findIdentitiesPage(prisma, parseInventoryQuery(new URLSearchParams(queryString)), 1, 100, NOW);
    return rows;
  }

  it("sorts by name either way, by name when nothing is asked", async () => {
    expect((await order("")).map((row) => row.name)).toEqual(ALL);
    expect((await order("sort=name&dir=desc")).map((row) => row.name)).toEqual([...ALL].reverse());
  });

  it("sorts by dates, by risk tier in severity order, and by the owner's name", async () => {
    const byExpiry = [...FIXTURES].sort((a, b) => a.expiresInDays - b.expiresInDays).map((fixture) => fixture.name);
    expect((await order("sort=expiresAt")).map((row) => row.name)).toEqual(byExpiry);
    expect((await order("sort=nextReviewAt&dir=desc")).map((row) => row.name)[0]).toBe("hotel-jit");
    const tiers = (await order("sort=riskTier&dir=desc")).map((row) => row.riskTier);
    expect(tiers).toEqual(["CRITICAL", "HIGH", "HIGH", "MEDIUM", "MEDIUM", "LOW", "LOW", "LOW", "LOW", "LOW"]);
    const owners = (await order("sort=owner&dir=desc")).map((row) => row.owner.name);
    expect(owners).toEqual([...Array(5).fill("Bob Owner"), ...Array(5).fill("Ann Owner")]);
  });
});

describe("paging", () => {
  it("numbered pages cover every matching row once, with the total and page count", async () => {
    const query = parseInventoryQuery(new URLSearchParams("sort=environment"));
    const seen: string[] = [];
    for (let page = 1; page <= 4; page += 1) {
      const result = await findIdentitiesPage(prisma, query, page, 3, NOW);
      expect(result).toMatchObject({ total: 10, pageCount: 4, page, pageSize: 3 });
      seen.push(...result.rows.map((row) => row.name));
    }
    expect(seen).toHaveLength(10);
    expect([...seen].sort()).toEqual(ALL);
  });

  it.each(["sort=environment", "sort=environment&dir=desc", "sort=riskTier&dir=desc", "sort=team", "status=ACTIVE,SUSPENDED&sort=owner"])(
    "cursor paging over %j visits each row once, in order, even where sort values tie",
    async (queryString) => {
      const query = parseInventoryQuery(new URLSearchParams(queryString));
      const { rows: expected } = await findIdentitiesPage(prisma, query, 1, 100, NOW);
      const visited: string[] = [];
      let cursor: string | undefined;
      for (let guard = 0; guard < 20; guard += 1) {
        const page = await findIdentitiesAfter(prisma, query, cursor, 2, NOW);
        visited.push(...page.rows.map((row) => row.name));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(visited).toEqual(expected.map((row) => row.name));
      expect(new Set(visited).size).toBe(visited.length);
    },
  );

  it("streams every matching row, in small batches, in table order", async () => {
    const query = parseInventoryQuery(new URLSearchParams("environment=PROD&sort=expiresAt&dir=desc"));
    const streamed: string[] = [];
    for await (const row of streamIdentities(prisma, query, 2, NOW)) streamed.push(row.name);
    expect(streamed).toEqual(["hotel-jit", "bravo-agent", "golf-orphan", "charlie-bot", "juliet-revoked"]);
  });
});

describe("bad params", () => {
  it.each([
    ["status=BOGUS", "status", /must be one of PROPOSED, ACTIVE/],
    ["kind=ROBOT", "kind", /must be one of IDE_ASSISTANT/],
    ["environment=prod", "environment", /must be one of DEV, STAGING, PROD/],
    ["risk=EXTREME", "risk", /must be one of LOW, MEDIUM, HIGH, CRITICAL/],
    ["reviewOverdue=yes", "reviewOverdue", /must be "1" or "0"/],
    ["expiresWithinDays=soon", "expiresWithinDays", /must be a number of days/],
    ["expiresWithinDays=-1", "expiresWithinDays", /must be 0 or more/],
    ["sort=password", "sort", /must be one of name/],
    ["dir=up", "dir", /must be "asc" or "desc"/],
    [`q=${"x".repeat(201)}`, "q", /at most 200 characters/],
  ])("%j is refused with a 422 naming %s", (queryString, field, message) => {
    const error = refusal(() => parseInventoryQuery(new URLSearchParams(queryString)));
    expect(error.status).toBe(422);
    // A repeated param reports which value was bad ("status.0"); the param's name always leads.
    expect(paramsNamed(error)).toEqual([field]);
    expect(Object.values(error.fields ?? {})[0]).toMatch(message);
    expect(error.message).toContain(field);
  });

  it("names every bad param at once", () => {
    const error = refusal(() => parseInventoryQuery(new URLSearchParams("status=X&dir=sideways&environment=PROD")));
    expect(paramsNamed(error)).toEqual(["dir", "status"]);
  });

  it("the page falls back to no filters and names the bad params, including its own page and pageSize", () => {
    const view = parseInventoryView(new URLSearchParams("environment=PROD&status=NOPE&page=0&pageSize=30"));
    expect(view.error?.status).toBe(422);
    // The page names params as they appear in the address.
    expect(Object.keys(view.error?.fields ?? {}).sort()).toEqual(["page", "pageSize", "status"]);
    expect(view.query).toEqual(parseInventoryQuery({}));
    expect(view).toMatchObject({ page: 1, pageSize: 25 });
  });

  it("the page keeps good params, page and page size", () => {
    const view = parseInventoryView({ environment: "PROD", page: "3", pageSize: "100", hide: "team" });
    expect(view.error).toBeUndefined();
    expect(view).toMatchObject({ page: 3, pageSize: 100, query: { environment: ["PROD"], sort: "name", dir: "asc" } });
  });
});

describe("findIdentitiesPage's count", () => {
  it("counts a search to a lower limit than a filtered view", () => {
    expect(countLimitFor(parseInventoryQuery({ q: "deploys" }))).toBe(SEARCH_COUNT_LIMIT);
    expect(countLimitFor(parseInventoryQuery({ environment: "PROD" }))).toBe(EXACT_COUNT_LIMIT);
    expect(SEARCH_COUNT_LIMIT).toBeLessThan(EXACT_COUNT_LIMIT);
  });

  it("is exact up to its limit and says so, and a lower bound beyond it", async () => {
    const query = parseInventoryQuery({});
    const exact = await findIdentitiesPage(prisma, query, 1, 3, NOW, ALL.length);
    expect(exact).toMatchObject({ total: ALL.length, totalIsExact: true, pageCount: Math.ceil(ALL.length / 3) });
    const capped = await findIdentitiesPage(prisma, query, 1, 3, NOW, 4);
    expect(capped).toMatchObject({ total: 4, totalIsExact: false, pageCount: 2 });
    expect(capped.rows).toHaveLength(3);
    // Rows past the counted ones are still reachable by page number.
    const beyond = await findIdentitiesPage(prisma, query, 4, 3, NOW, 4);
    expect(beyond.rows.map((row) => row.name)).toEqual(ALL.slice(9, 12));
  });
});
