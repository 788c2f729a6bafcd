import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { inventoryCountSql, inventoryIdsSql } from "./query-sql";
import { parseInventoryQuery, SORTABLE_COLUMNS, type InventoryQuery } from "./query";

// A page of the inventory in any order must come from an index, not from
// sorting every identity: on 100,000 rows a sort by owner took ~200 ms where
// the index walk takes under 1 ms. Timings are not asserted; the plan is.
// With sorting priced out (enable_sort = off), PostgreSQL still sorts when no
// index can give the order, so a plain Sort node means a missing index.
// (An Incremental Sort is fine: owner sorts walk owners by name and order
// each owner's few identities by id.)

async function planOf(
  queryString: string,
  cursor?: string,
  statementFor = idsStatement,
  priced: string | string[] = "enable_sort",
): Promise<string> {
  const statement = statementFor(parseInventoryQuery(new URLSearchParams(queryString)), cursor);
  return prisma.$transaction(async (tx) => {
    for (const setting of [priced].flat()) await tx.$executeRawUnsafe(`SET LOCAL ${setting} = off`);
    const rows = await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${statement.text}`, ...statement.values);
    return rows.map((row) => row["QUERY PLAN"]).join("\n");
  });
}

const idsStatement = (query: InventoryQuery, cursor?: string) => inventoryIdsSql(query, new Date(), { take: 25, cursor });
const countStatement = (query: InventoryQuery) => inventoryCountSql(query, new Date(), 10_001);

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

// The credential filters read the copies on the identity (see the migration
// 20261129201000): asking Credential per identity is what made them slow.
describe("the credential filters and the orphan queue", () => {
  it.each(["longLivedCredential=1", "longLivedCredential=0", "credentialAge=365%2B"])("%s never reads Credential", async (queryString) => {
    for (const statementFor of [idsStatement, countStatement]) {
      const plan = await planOf(queryString, undefined, statementFor);
      expect(plan, plan).not.toMatch(/on "Credential"/);
    }
  });

  it("credentialAge=365+ of identities in use (the dashboard's) counts from an index alone", async () => {
    const plan = await planOf("credentialAge=365%2B&status=PROPOSED,ACTIVE,SUSPENDED", undefined, countStatement, [
      "enable_seqscan",
      "enable_bitmapscan",
    ]);
    expect(plan, plan).toMatch(/Index Only Scan using "?AiIdentity_credentialOldestIssuedAt_status_idx/);
  });

  it("orphaned=1 counts through the orphan index", async () => {
    const plan = await planOf("orphaned=1", undefined, countStatement, "enable_seqscan");
    expect(plan, plan).toMatch(/AiIdentity_orphanedAt_name_id_idx/);
  });
});
