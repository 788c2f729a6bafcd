import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { inventoryIdsSql } from "./query-sql";
import { parseInventoryQuery, SORTABLE_COLUMNS } from "./query";

// A page of the inventory in any order must come from an index, not from
// sorting every identity: on 100,000 rows a sort by owner took ~200 ms where
// the index walk takes under 1 ms. Timings are not asserted; the plan is.
// With sorting priced out (enable_sort = off), PostgreSQL still sorts when no
// index can give the order, so a plain Sort node means a missing index.
// (An Incremental Sort is fine: owner sorts walk owners by name and order
// each owner's few identities by id.)

async function planOf(queryString: string, cursor?: string): Promise<string> {
  const statement = inventoryIdsSql(parseInventoryQuery(new URLSearchParams(queryString)), new Date(), { take: 25, cursor });
  return prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL enable_sort = off");
    const rows = await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${statement.text}`, ...statement.values);
    return rows.map((row) => row["QUERY PLAN"]).join("\n");
  });
}

const fullSort = /(^|->\s+)Sort\b/m;

describe("inventory order comes from indexes", () => {
  it.each(SORTABLE_COLUMNS.flatMap((sort) => [`sort=${sort}&dir=asc`, `sort=${sort}&dir=desc`]))(
    "%s reads an index in order",
    async (queryString) => {
      const plan = await planOf(queryString);
      expect(plan, plan).not.toMatch(fullSort);
    },
  );

  it.each(["sort=kind&dir=desc", "sort=updatedAt", "sort=owner&dir=desc", "sort=team", "sort=team&dir=desc"])(
    "%s after a cursor reads an index in order",
    async (queryString) => {
      const plan = await planOf(queryString, "any-id");
      expect(plan, plan).not.toMatch(fullSort);
    },
  );
});
