import { Prisma } from "@/lib/db/generated/client";
import type { DecisionOutcome } from "@/lib/db/generated/enums";
import { containsPattern } from "@/lib/inventory/query-sql";

// The Decisions log's filters and sort as one parameterised statement, as the
// approvals list's are (lib/approvals/list-sql.ts). Every filter has an index
// that leads with it and continues with the time (identity, outcome, action,
// resource), the policy filter reads the GIN index on policyIds, and the
// latency sort its own index, so a page reads its rows, not the whole log.
// The decision table is aliased `d`.

const sql = Prisma.sql;

export const DECISION_SORTS = ["createdAt", "latency"] as const;
export type DecisionSort = (typeof DECISION_SORTS)[number];

export interface DecisionConditions {
  identityId?: string;
  outcome?: DecisionOutcome;
  action?: string;
  /** A system's id or a tool's name. */
  resourceId?: string;
  /** The @id of a policy among those that decided. */
  policyId?: string;
  /** From this instant on (inclusive). */
  from?: Date;
  /** Before this instant (exclusive). */
  to?: Date;
  /** Text in the identity's name, the tool's name or system's id, the task id or the task intent. */
  q?: string;
}

export function decisionConditionsSql(conditions: DecisionConditions): Prisma.Sql {
  const and: Prisma.Sql[] = [];
  if (conditions.identityId !== undefined) and.push(sql`d."identityId" = ${conditions.identityId}`);
  if (conditions.outcome) and.push(sql`d."outcome" = CAST(${conditions.outcome} AS "DecisionOutcome")`);
  if (conditions.action) and.push(sql`d."action" = ${conditions.action}`);
  if (conditions.resourceId) and.push(sql`d."resourceId" = ${conditions.resourceId}`);
  if (conditions.policyId) and.push(sql`d."policyIds" @> ARRAY[${conditions.policyId}]::text[]`);
  if (conditions.from) and.push(sql`d."createdAt" >= ${conditions.from}`);
  if (conditions.to) and.push(sql`d."createdAt" < ${conditions.to}`);
  if (conditions.q) {
    const pattern = containsPattern(conditions.q);
    // Identities whose name matches are found once, as an array, so that arm reads the (identityId, createdAt) index.
    and.push(sql`(d."taskIntent" ILIKE ${pattern} OR d."taskId" ILIKE ${pattern} OR d."resourceId" ILIKE ${pattern}
      OR d."identityId" = ANY(ARRAY(SELECT qi."id" FROM "AiIdentity" qi WHERE qi."name" ILIKE ${pattern})))`);
  }
  return and.length > 0 ? Prisma.join(and, " AND ") : sql`TRUE`;
}

const SORT_COLUMN: Record<DecisionSort, Prisma.Sql> = {
  createdAt: sql`d."createdAt"`,
  latency: sql`d."latencyMicros"`,
};

export interface DecisionIdsArgs {
  sort: DecisionSort;
  dir: "asc" | "desc";
  take: number;
  skip?: number;
  /** A decision's id: the rows from it on (itself included, if it still matches), as Prisma's `cursor` does. */
  cursor?: string;
}

/** The ids of one page of the log, in its order, with the id as tie-break. */
export function decisionIdsSql(conditions: DecisionConditions, args: DecisionIdsArgs): Prisma.Sql {
  const column = SORT_COLUMN[args.sort];
  const direction = Prisma.raw(args.dir === "asc" ? "ASC" : "DESC");
  const where = decisionConditionsSql(conditions);
  const offset = args.skip ? sql` OFFSET ${args.skip}` : Prisma.empty;
  if (args.cursor === undefined) {
    return sql`SELECT d."id" FROM "PolicyDecision" d WHERE ${where}
      ORDER BY ${column} ${direction}, d."id" ${direction} LIMIT ${args.take}${offset}`;
  }
  // Both sort values are NOT NULL, so a row comparison against the cursor row's values finds the rows from it on.
  const op = Prisma.raw(args.dir === "asc" ? ">=" : "<=");
  const kColumn = args.sort === "createdAt" ? sql`k."createdAt"` : sql`k."latencyMicros"`;
  return sql`SELECT d."id" FROM "PolicyDecision" d, (SELECT "createdAt", "latencyMicros", "id" FROM "PolicyDecision" WHERE "id" = ${args.cursor}) k
    WHERE ${where} AND (${column}, d."id") ${op} (${kColumn}, k."id")
    ORDER BY ${column} ${direction}, d."id" ${direction} LIMIT ${args.take}${offset}`;
}

/** How many decisions match, counting no further than `limit`. */
export function decisionCountSql(conditions: DecisionConditions, limit: number): Prisma.Sql {
  return sql`SELECT count(*)::int AS "count" FROM (SELECT 1 FROM "PolicyDecision" d WHERE ${decisionConditionsSql(conditions)} LIMIT ${limit}) matched`;
}
