import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { decisionIdsSql, DECISION_SORTS, type DecisionConditions } from "./decision-list-sql";

// A page of the Decisions log, filtered or not, in either order it offers,
// must come from an index rather than from sorting every decision: the log
// grows with every agent request. Timings are not asserted; the plan is. With
// sorting priced out (enable_sort = off), PostgreSQL still sorts when no index
// can give the order, so a plain Sort node means a missing index. (An
// Incremental Sort on the id tie-break within one instant is fine.)

async function planOf(conditions: DecisionConditions, sort: (typeof DECISION_SORTS)[number], dir: "asc" | "desc", cursor?: string) {
  const statement = decisionIdsSql(conditions, { sort, dir, take: 25, skip: 50, cursor });
  return prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL enable_sort = off");
    const rows = await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${statement.text}`, ...statement.values);
    return rows.map((row) => row["QUERY PLAN"]).join("\n");
  });
}

const fullSort = /(^|->\s+)Sort\b/m;

const FILTERS: Record<string, DecisionConditions> = {
  none: {},
  identity: { identityId: "some-identity" },
  outcome: { outcome: "DENY" },
  action: { action: "write" },
  resource: { resourceId: "Bash" },
  "time range": { from: new Date("2026-11-01T00:00:00Z"), to: new Date("2026-11-08T00:00:00Z") },
};

describe("the Decisions log's order comes from indexes", () => {
  it.each(
    Object.keys(FILTERS).flatMap((filter) =>
      DECISION_SORTS.flatMap((sort) => (["asc", "desc"] as const).map((dir) => [filter, sort, dir] as const)),
    ),
  )("filter %s, sort=%s dir=%s reads an index in order, first page and after a cursor", async (filter, sort, dir) => {
    for (const cursor of [undefined, "any-id"]) {
      const plan = await planOf(FILTERS[filter]!, sort, dir, cursor);
      expect(plan, plan).not.toMatch(fullSort);
    }
  });

  it("an outcome filter, newest first, reads the (outcome, createdAt, id) index", async () => {
    const plan = await planOf({ outcome: "REQUIRE_APPROVAL" }, "createdAt", "desc");
    expect(plan, plan).toMatch(/PolicyDecision_outcome_createdAt_id_idx/);
  });
});
