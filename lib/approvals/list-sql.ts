import { Prisma } from "@/lib/db/generated/client";
import type { ApprovalStatus } from "@/lib/db/generated/enums";
import { containsPattern } from "@/lib/inventory/query-sql";

// The approvals list's filters and sort as parameterised SQL, as the
// inventory's are (lib/inventory/query-sql.ts): the statement's plan can be
// checked in a test (list-plan.test.ts), and every sort reads an index rather
// than sorting every request. The request table is aliased `ar`; sorting by
// requester joins `u` ("User").

const sql = Prisma.sql;

export const APPROVAL_SORTS = ["createdAt", "expiresAt", "status", "requester"] as const;
export type ApprovalSort = (typeof APPROVAL_SORTS)[number];

/** What narrows the list: the view's scope and the filters. */
export interface ApprovalConditions {
  /** Only this person's requests ("mine"). */
  requesterId?: string;
  /** Only closed requests ("history"). */
  closed?: boolean;
  status?: ApprovalStatus;
  catalogKey?: string;
  /** A rule's key. */
  rule?: string;
  /** Text in the summary, the requester's name or email, or the identity's name. */
  q?: string;
}

export function approvalConditionsSql(conditions: ApprovalConditions): Prisma.Sql {
  const and: Prisma.Sql[] = [];
  if (conditions.requesterId !== undefined) and.push(sql`ar."requesterId" = ${conditions.requesterId}`);
  if (conditions.closed) and.push(sql`ar."status" <> 'PENDING'`);
  if (conditions.status) and.push(sql`ar."status" = CAST(${conditions.status} AS "ApprovalStatus")`);
  if (conditions.catalogKey) and.push(sql`ar."catalogKey" = ${conditions.catalogKey}`);
  if (conditions.rule) and.push(sql`ar."ruleId" IN (SELECT r."id" FROM "ApprovalRule" r WHERE r."key" = ${conditions.rule})`);
  if (conditions.q) {
    const pattern = containsPattern(conditions.q);
    // The people and identities that match are found first, once, as arrays: then each arm of the OR
    // can read an index (the summary's trigram index, the requester and identity indexes), and a rare
    // term reads only its matches instead of every request.
    and.push(sql`(ar."summary" ILIKE ${pattern}
      OR ar."requesterId" = ANY(ARRAY(SELECT qu."id" FROM "User" qu WHERE qu."name" ILIKE ${pattern} OR qu."email" ILIKE ${pattern}))
      OR ar."identityId" = ANY(ARRAY(SELECT qi."id" FROM "AiIdentity" qi WHERE qi."name" ILIKE ${pattern})))`);
  }
  return and.length > 0 ? Prisma.join(and, " AND ") : sql`TRUE`;
}

interface SortSql {
  joins: Prisma.Sql;
  /** The values sorted on, before the id tie-break. */
  values: Prisma.Sql[];
  /** Whether the (single) value can be NULL: a requester without a name. */
  nullable: boolean;
}

function sortSql(sort: ApprovalSort): SortSql {
  switch (sort) {
    case "createdAt":
      return { joins: Prisma.empty, values: [sql`ar."createdAt"`], nullable: false };
    case "expiresAt":
      return { joins: Prisma.empty, values: [sql`ar."expiresAt"`], nullable: false };
    // Within a status, by age: the (status, createdAt, id) index gives that order.
    case "status":
      return { joins: Prisma.empty, values: [sql`ar."status"`, sql`ar."createdAt"`], nullable: false };
    // Walks "User" by (name, id) and each requester's requests by (requesterId, …).
    case "requester":
      return { joins: sql`JOIN "User" u ON u."id" = ar."requesterId"`, values: [sql`u."name"`], nullable: true };
  }
}

function orderBySql(sort: SortSql, dir: "asc" | "desc"): Prisma.Sql {
  const direction = Prisma.raw(dir === "asc" ? "ASC" : "DESC");
  return Prisma.join(
    [...sort.values, sql`ar."id"`].map((value) => sql`${value} ${direction}`),
    ", ",
  );
}

/**
 * Rows at or after the cursor row `k` (its sort values k.v0, k.v1…, its id
 * k.id) in the list's order. PostgreSQL puts NULLs last ascending and first
 * descending, as the ORDER BY does.
 */
function atOrAfterCursor(sort: SortSql, dir: "asc" | "desc"): Prisma.Sql {
  const mine = Prisma.join([...sort.values, sql`ar."id"`], ", ");
  const cursor = Prisma.raw([...sort.values.map((_, index) => `k.v${index}`), "k.id"].join(", "));
  const op = Prisma.raw(dir === "asc" ? ">=" : "<=");
  if (!sort.nullable) return sql`(${mine}) ${op} (${cursor})`;
  const value = sort.values[0]!;
  if (dir === "asc") {
    return sql`(CASE WHEN k.v0 IS NULL THEN ${value} IS NULL AND ar."id" >= k.id ELSE ${value} IS NULL OR (${mine}) >= (${cursor}) END)`;
  }
  return sql`(CASE WHEN k.v0 IS NULL THEN ${value} IS NOT NULL OR ar."id" <= k.id ELSE ${value} IS NOT NULL AND (${mine}) <= (${cursor}) END)`;
}

export interface ApprovalIdsArgs {
  sort: ApprovalSort;
  dir: "asc" | "desc";
  take: number;
  skip?: number;
  /** A request's id: the rows from it on (itself included, if it still matches), as Prisma's `cursor` does. */
  cursor?: string;
  /**
   * Find every match first, then sort them, instead of walking the order's index until a page
   * matches. For a search with few matches: the walk would read every request to find none.
   */
  matchesFirst?: boolean;
}

/** The ids of one page of the list, in its order, with the id as tie-break. */
export function approvalIdsSql(conditions: ApprovalConditions, args: ApprovalIdsArgs): Prisma.Sql {
  const sort = sortSql(args.sort);
  const where = approvalConditionsSql(conditions);
  const offset = args.skip ? sql` OFFSET ${args.skip}` : Prisma.empty;
  const valuesAs = Prisma.join(
    sort.values.map((value, index) => sql`${value} AS ${Prisma.raw(`v${index}`)}`),
    ", ",
  );
  // The cursor row's own sort values, whether or not it still matches the filters; none if it is gone.
  const cursor =
    args.cursor === undefined
      ? { with: Prisma.empty, from: Prisma.empty, where: Prisma.empty }
      : {
          with: sql`WITH k AS (SELECT ${valuesAs}, ar."id" FROM "ApprovalRequest" ar ${sort.joins} WHERE ar."id" = ${args.cursor}) `,
          from: sql`k, `,
          where: sql` AND ${atOrAfterCursor(sort, args.dir)}`,
        };
  if (args.matchesFirst) {
    // OFFSET 0 keeps the matches a subquery of their own, so the order cannot choose how they are found.
    const direction = args.dir === "asc" ? "ASC" : "DESC";
    const outerOrder = Prisma.raw(
      [...sort.values.map((_, index) => `m.v${index}`), `m."id"`].map((value) => `${value} ${direction}`).join(", "),
    );
    return sql`${cursor.with}SELECT m."id" FROM (SELECT ar."id", ${valuesAs} FROM ${cursor.from}"ApprovalRequest" ar ${sort.joins}
      WHERE ${where}${cursor.where} OFFSET 0) m
      ORDER BY ${outerOrder} LIMIT ${args.take}${offset}`;
  }
  return sql`${cursor.with}SELECT ar."id" FROM ${cursor.from}"ApprovalRequest" ar ${sort.joins}
    WHERE ${where}${cursor.where}
    ORDER BY ${orderBySql(sort, args.dir)} LIMIT ${args.take}${offset}`;
}

/** The ids among `ids` that match, in no particular order (the waiting view's filters). */
export function approvalMatchingIdsSql(conditions: ApprovalConditions, ids: string[]): Prisma.Sql {
  return sql`SELECT ar."id" FROM "ApprovalRequest" ar WHERE ar."id" = ANY(${ids}) AND ${approvalConditionsSql(conditions)}`;
}

/** How many requests match, counting no further than `limit`. */
export function approvalCountSql(conditions: ApprovalConditions, limit: number): Prisma.Sql {
  return sql`SELECT count(*)::int AS "count" FROM (SELECT 1 FROM "ApprovalRequest" ar WHERE ${approvalConditionsSql(conditions)} LIMIT ${limit}) matched`;
}
