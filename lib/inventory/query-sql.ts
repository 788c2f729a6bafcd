import { Prisma } from "@/lib/db/generated/client";
import { DAY_MS } from "@/lib/time";
import { LIVE_STATUSES, reviewOverdueSql } from "./lifecycle";
import { LONG_LIVED_AFTER_DAYS } from "./risk";
import { CREDENTIAL_AGE_BUCKETS, type InventoryQuery, type SortColumn } from "./query";

// The inventory's filters and sort as one parameterised SQL statement.
//
// Why not Prisma's findMany: every combination of filters and sort is a new
// query shape to Prisma, which compiles each shape in the Node process before
// it reaches PostgreSQL; people combine thirteen filters, twelve sorts and two
// directions, so most of their views were new shapes. Here the text varies
// with the combination but the values are parameters, and building it costs
// string concatenation. The identity table is aliased `i`; sorting by owner
// joins `o` ("User").

const sql = Prisma.sql;
const join = Prisma.join;

/** Identity columns that sort by themselves; owner and team sort by a joined name. */
const COLUMN_SORTS = {
  name: "name",
  kind: "kind",
  environment: "environment",
  status: "status",
  riskTier: "riskTier",
  autonomy: "autonomy",
  expiresAt: "expiresAt",
  nextReviewAt: "nextReviewAt",
  createdAt: "createdAt",
  updatedAt: "updatedAt",
} as const satisfies Record<Exclude<SortColumn, "owner" | "team">, string>;

/** `column = ANY(values)` for an enum column, the values bound as one array parameter. */
function anyOf(column: string, enumType: string, values: readonly string[]): Prisma.Sql {
  return sql`${Prisma.raw(`i."${column}"`)} = ANY(CAST(${values} AS ${Prisma.raw(`"${enumType}"[]`)}))`;
}

/** ILIKE treats % and _ as wildcards and \ as their escape: a search is for the literal text typed. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** The WHERE conditions of a query (always at least TRUE), over `"AiIdentity" i`. */
export function inventoryConditionsSql(query: InventoryQuery, now: Date): Prisma.Sql {
  const and: Prisma.Sql[] = [];
  if (query.status) and.push(anyOf("status", "IdentityStatus", query.status));
  if (query.kind) and.push(anyOf("kind", "IdentityKind", query.kind));
  if (query.environment) and.push(anyOf("environment", "Environment", query.environment));
  if (query.autonomy) and.push(anyOf("autonomy", "Autonomy", query.autonomy));
  if (query.risk) and.push(anyOf("riskTier", "RiskTier", query.risk));
  if (query.ownerId) and.push(sql`i."ownerId" = ${query.ownerId}`);
  if (query.teamId) and.push(sql`i."teamId" = ${query.teamId}`);
  if (query.orphaned !== undefined) and.push(query.orphaned ? sql`i."orphanedAt" IS NOT NULL` : sql`i."orphanedAt" IS NULL`);
  if (query.reviewOverdue) and.push(reviewOverdueSql(now));
  if (query.expiresWithinDays !== undefined) {
    const until = new Date(now.getTime() + query.expiresWithinDays * DAY_MS);
    and.push(sql`${anyOf("status", "IdentityStatus", LIVE_STATUSES)} AND i."expiresAt" >= ${now} AND i."expiresAt" < ${until}`);
  }
  // The credential filters read the copies each identity keeps of its active credentials
  // (migration 20261129201000, kept by triggers), so they need not visit "Credential".
  if (query.longLivedCredential !== undefined) {
    // "Has an active credential, not short-lived by type, with no expiry or issued over 90 days ago."
    const cutoff = new Date(now.getTime() - LONG_LIVED_AFTER_DAYS * DAY_MS);
    and.push(
      query.longLivedCredential
        ? sql`(i."hasNonExpiringCredential" OR i."longLivedCandidateIssuedAt" < ${cutoff})`
        : sql`(NOT i."hasNonExpiringCredential" AND (i."longLivedCandidateIssuedAt" IS NULL OR i."longLivedCandidateIssuedAt" >= ${cutoff}))`,
    );
  }
  if (query.credentialAge) {
    // "Has an active credential issued within this age range." With no upper age the oldest one
    // answers alone. The other ranges read the issue dates each identity keeps of its active
    // credentials (migration 20261201020000): asking Credential hashed tens of thousands of
    // credentials per range, most of the dashboard's time.
    const [minDays, maxDays] = CREDENTIAL_AGE_BUCKETS[query.credentialAge];
    const issuedBy = new Date(now.getTime() - minDays * DAY_MS);
    if (maxDays === null) {
      and.push(sql`i."credentialOldestIssuedAt" <= ${issuedBy}`);
    } else {
      const issuedAfter = new Date(now.getTime() - maxDays * DAY_MS);
      and.push(sql`tstzrange(CAST(${issuedAfter} AS timestamptz), CAST(${issuedBy} AS timestamptz), '(]') @> ANY(i."credentialIssuedAt")`);
    }
  }
  if (query.q) {
    const pattern = containsPattern(query.q);
    and.push(
      sql`(i."name" ILIKE ${pattern} OR i."vendor" ILIKE ${pattern} OR i."product" ILIKE ${pattern} OR i."model" ILIKE ${pattern} OR i."purpose" ILIKE ${pattern})`,
    );
  }
  return and.length > 0 ? join(and, " AND ") : sql`TRUE`;
}

interface SortSql {
  /** The joins the sort needs (none for the identity's own columns). */
  joins: Prisma.Sql;
  /** The value sorted on, as an expression. */
  value: Prisma.Sql;
  /** Whether it can be NULL (a team's name, an owner without a name). */
  nullable: boolean;
}

function sortSql(sort: SortColumn): SortSql {
  if (sort === "owner") return { joins: sql`JOIN "User" o ON o."id" = i."ownerId"`, value: sql`o."name"`, nullable: true };
  // The team's name as copied onto the identity (kept by a trigger): an index gives that order.
  if (sort === "team") return { joins: Prisma.empty, value: sql`i."teamName"`, nullable: true };
  return { joins: Prisma.empty, value: Prisma.raw(`i."${COLUMN_SORTS[sort]}"`), nullable: false };
}

/**
 * Rows at or after the cursor row `k` (its sort value `k.v`, its id `k.id`)
 * in the query's order. PostgreSQL puts NULLs last ascending and first
 * descending, as the ORDER BY below does.
 */
function atOrAfterCursor(sort: SortSql, dir: "asc" | "desc"): Prisma.Sql {
  const value = sort.value;
  if (!sort.nullable) return dir === "asc" ? sql`(${value}, i."id") >= (k.v, k.id)` : sql`(${value}, i."id") <= (k.v, k.id)`;
  if (dir === "asc") {
    return sql`(CASE WHEN k.v IS NULL THEN ${value} IS NULL AND i."id" >= k.id ELSE ${value} IS NULL OR (${value}, i."id") >= (k.v, k.id) END)`;
  }
  return sql`(CASE WHEN k.v IS NULL THEN ${value} IS NOT NULL OR i."id" <= k.id ELSE ${value} IS NOT NULL AND (${value}, i."id") <= (k.v, k.id) END)`;
}

export interface IdsArgs {
  take: number;
  skip?: number;
  /** An identity's id: the rows from it on (itself included, if it still matches), as Prisma's `cursor` does. */
  cursor?: string;
}

/** The ids of one page of the query, in its order, with the id as tie-break. */
export function inventoryIdsSql(query: InventoryQuery, now: Date, args: IdsArgs): Prisma.Sql {
  const sort = sortSql(query.sort);
  const direction = Prisma.raw(query.dir === "asc" ? "ASC" : "DESC");
  const conditions = inventoryConditionsSql(query, now);
  const offset = args.skip ? sql` OFFSET ${args.skip}` : Prisma.empty;
  if (args.cursor === undefined) {
    return sql`SELECT i."id" FROM "AiIdentity" i ${sort.joins}
      WHERE ${conditions}
      ORDER BY ${sort.value} ${direction}, i."id" ${direction} LIMIT ${args.take}${offset}`;
  }
  // The cursor row's own sort value, whether or not it still matches the filters; none if it is gone.
  return sql`WITH k AS (SELECT ${sort.value} AS v, i."id" FROM "AiIdentity" i ${sort.joins} WHERE i."id" = ${args.cursor})
    SELECT i."id" FROM k, "AiIdentity" i ${sort.joins}
    WHERE ${conditions} AND ${atOrAfterCursor(sort, query.dir)}
    ORDER BY ${sort.value} ${direction}, i."id" ${direction} LIMIT ${args.take}${offset}`;
}

/** An inventory row as the SQL below returns it: the identity's columns, then its people and team flattened. */
export interface FlatInventoryRow {
  id: string;
  name: string;
  kind: string;
  vendor: string | null;
  product: string | null;
  model: string | null;
  purpose: string;
  environment: string;
  autonomy: string;
  status: string;
  riskTier: string;
  expiresAt: Date;
  nextReviewAt: Date;
  orphanedAt: Date | null;
  externalId: string | null;
  createdAt: Date;
  updatedAt: Date;
  ownerId: string;
  ownerName: string | null;
  ownerEmail: string;
  backupOwnerId: string | null;
  backupOwnerName: string | null;
  backupOwnerEmail: string | null;
  teamId: string | null;
  teamName: string | null;
}

/**
 * One page of rows with their owner, backup owner and team, in the query's
 * order. The page's ids are chosen first and only they are joined: joining
 * before the offset would join every skipped row too.
 */
export function inventoryRowsSql(query: InventoryQuery, now: Date, args: IdsArgs): Prisma.Sql {
  const direction = Prisma.raw(query.dir === "asc" ? "ASC" : "DESC");
  return sql`SELECT i."id", i."name", i."kind"::text, i."vendor", i."product", i."model", i."purpose", i."environment"::text,
      i."autonomy"::text, i."status"::text, i."riskTier"::text, i."expiresAt", i."nextReviewAt", i."orphanedAt", i."externalId",
      i."createdAt", i."updatedAt", o."id" AS "ownerId", o."name" AS "ownerName", o."email" AS "ownerEmail",
      b."id" AS "backupOwnerId", b."name" AS "backupOwnerName", b."email" AS "backupOwnerEmail", t."id" AS "teamId", t."name" AS "teamName"
    FROM (${inventoryIdsSql(query, now, args)}) page
    JOIN "AiIdentity" i ON i."id" = page."id"
    JOIN "User" o ON o."id" = i."ownerId"
    LEFT JOIN "User" b ON b."id" = i."backupOwnerId"
    LEFT JOIN "Team" t ON t."id" = i."teamId"
    ORDER BY ${sortSql(query.sort).value} ${direction}, i."id" ${direction}`;
}

/**
 * How many identities match each query, in one statement (columns `c0`,
 * `c1`, …), so a page showing many counts pays one round trip, not one each.
 * Each count is its own scalar subquery: PostgreSQL plans each alone, reading
 * only the index range its filters select.
 */
export function inventoryCountsSql(queries: InventoryQuery[], now: Date): Prisma.Sql {
  const counts = queries.map(
    (query, index) => sql`(SELECT count(*)::int FROM "AiIdentity" i WHERE ${inventoryConditionsSql(query, now)}) AS ${countColumn(index)}`,
  );
  return sql`SELECT ${join(counts, ", ")}`;
}

/**
 * How many identities match both `within` and each query (columns `c0`, …),
 * in one pass over `within`'s rows with a FILTER per query: cheaper than a
 * count each when every query would scan those same rows anyway and only test
 * something different on each (the dashboard's credential-age buckets of the
 * identities in use).
 */
export function inventoryCountsWithinSql(within: InventoryQuery, queries: InventoryQuery[], now: Date): Prisma.Sql {
  const counts = queries.map(
    (query, index) => sql`(count(*) FILTER (WHERE ${inventoryConditionsSql(query, now)}))::int AS ${countColumn(index)}`,
  );
  return sql`SELECT ${join(counts, ", ")} FROM "AiIdentity" i WHERE ${inventoryConditionsSql(within, now)}`;
}

const countColumn = (index: number) => Prisma.raw(`"c${index}"`);

/**
 * How many identities have each combination of status, risk tier, kind and
 * environment: one pass over the index of those four columns, which answers
 * every count that filters on nothing else (countFromGroups in query.ts).
 */
export function identityGroupCountsSql(): Prisma.Sql {
  return sql`SELECT i."status", i."riskTier", i."kind", i."environment", count(*)::int AS "count" FROM "AiIdentity" i GROUP BY 1, 2, 3, 4`;
}

/** How many identities match, counting no further than `limit` when given. */
export function inventoryCountSql(query: InventoryQuery, now: Date, limit?: number): Prisma.Sql {
  const conditions = inventoryConditionsSql(query, now);
  if (limit === undefined) return sql`SELECT count(*)::int AS "count" FROM "AiIdentity" i WHERE ${conditions}`;
  return sql`SELECT count(*)::int AS "count" FROM (SELECT 1 FROM "AiIdentity" i WHERE ${conditions} LIMIT ${limit}) matched`;
}
