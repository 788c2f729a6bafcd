import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { approvalIdsSql, APPROVAL_SORTS, type ApprovalConditions } from "./list-sql";

// A page of the approvals list in any order it offers must come from an
// index, not from sorting every request: seed:large holds 100,000 of them.
// Timings are not asserted; the plan is. With sorting priced out
// (enable_sort = off), PostgreSQL still sorts when no index can give the
// order, so a plain Sort node means a missing index. (An Incremental Sort is
// fine: the requester sort walks people by name and orders each one's
// requests by id.)

async function planOf(
  conditions: ApprovalConditions,
  sort: (typeof APPROVAL_SORTS)[number],
  dir: "asc" | "desc",
  cursor?: string,
  { matchesFirst = false, priced = "enable_sort" } = {},
) {
  const statement = approvalIdsSql(conditions, { sort, dir, take: 25, skip: 50, cursor, matchesFirst });
  return prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SET LOCAL ${priced} = off`);
    const rows = await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${statement.text}`, ...statement.values);
    return rows.map((row) => row["QUERY PLAN"]).join("\n");
  });
}

const fullSort = /(^|->\s+)Sort\b/m;

const VIEWS: Record<string, ApprovalConditions> = {
  all: {},
  history: { closed: true },
  pending: { status: "PENDING" },
};

describe("approvals list order comes from indexes", () => {
  it.each(
    Object.keys(VIEWS).flatMap((view) =>
      APPROVAL_SORTS.flatMap((sort) => (["asc", "desc"] as const).map((dir) => [view, sort, dir] as const)),
    ),
  )("%s sort=%s dir=%s reads an index in order, first page and after a cursor", async (view, sort, dir) => {
    for (const cursor of [undefined, "any-id"]) {
      const plan = await planOf(VIEWS[view]!, sort, dir, cursor);
      expect(plan, plan).not.toMatch(fullSort);
    }
  });

  it("a person's own requests, newest first, read their (requesterId, createdAt, id) index", async () => {
    const plan = await planOf({ requesterId: "someone" }, "createdAt", "desc");
    expect(plan, plan).toMatch(/ApprovalRequest_requesterId_createdAt_id_idx/);
    expect(plan, plan).not.toMatch(fullSort);
  });

  // Few matches are found through indexes and then sorted: walking the order's index would read
  // every request to find none (see ApprovalIdsArgs.matchesFirst).
  it("a search with few matches reads the summary's trigram index and the requester and identity indexes", async () => {
    const plan = await planOf({ q: "payments" }, "createdAt", "desc", undefined, { matchesFirst: true, priced: "enable_seqscan" });
    expect(plan, plan).toMatch(/BitmapOr/);
    expect(plan, plan).toMatch(/ApprovalRequest_summary_trgm_idx/);
    expect(plan, plan).toMatch(/ApprovalRequest_requesterId_createdAt_id_idx/);
    expect(plan, plan).toMatch(/ApprovalRequest_identityId_createdAt_idx/);
  });
});
