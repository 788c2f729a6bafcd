import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { parseInventoryQuery, streamIdentities } from "@/lib/inventory/query";
import { createTestUser } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";
import { readInSnapshot } from "./snapshot";

// A streamed export reads in batches. Edits made while it runs must not make
// a row appear twice or vanish: the whole export reads one snapshot.

const query = parseInventoryQuery(new URLSearchParams("q=snapshot-&sort=name"));

async function rename(from: string, to: string) {
  await prisma.aiIdentity.update({ where: { name_environment: { name: from, environment: "DEV" } }, data: { name: to } });
}

/** Reads the export two rows at a time; after the first row, renames it so it sorts last and adds a row. */
async function exportWhileEditing(rows: AsyncIterable<{ name: string }>, suffix: string) {
  const names: string[] = [];
  for await (const row of rows) {
    names.push(row.name);
    if (names.length === 1) {
      await rename(`snapshot-a${suffix}`, `snapshot-z${suffix}`);
      await createIdentity(`snapshot-e${suffix}`);
    }
  }
  return names;
}

let ownerId: string;
async function createIdentity(name: string) {
  await prisma.aiIdentity.create({
    data: {
      name,
      kind: "CI_BOT",
      purpose: "snapshot test",
      environment: "DEV",
      ownerId,
      expiresAt: new Date(Date.now() + 30 * DAY_MS),
      nextReviewAt: new Date(Date.now() + 30 * DAY_MS),
    },
  });
}

beforeAll(async () => {
  ownerId = (await createTestUser()).user.id;
});

describe("readInSnapshot", () => {
  it("gives a streamed export one consistent view: a row renamed mid-export appears once, as it was, and new rows not at all", async () => {
    for (const letter of ["a", "b", "c", "d"]) await createIdentity(`snapshot-${letter}-1`);
    const names = await exportWhileEditing(
      readInSnapshot(prisma, (tx) => streamIdentities(tx, query, 2)),
      "-1",
    );
    expect(names).toEqual(["snapshot-a-1", "snapshot-b-1", "snapshot-c-1", "snapshot-d-1"]);
  });

  it("is needed: read batch by batch without it, the same edits repeat the renamed row and add the new one", async () => {
    for (const letter of ["a", "b", "c", "d"]) await createIdentity(`snapshot-${letter}-2`);
    // The first test's rows match the search too; only this test's rows are compared.
    const names = (await exportWhileEditing(streamIdentities(prisma, query, 2), "-2")).filter((name) => name.endsWith("-2"));
    expect(names).toEqual(["snapshot-a-2", "snapshot-b-2", "snapshot-c-2", "snapshot-d-2", "snapshot-e-2", "snapshot-z-2"]);
  });

  it("ends its transaction when the reader stops early", async () => {
    // Each abandoned export would otherwise keep a pooled connection in an open transaction.
    for (let attempt = 0; attempt < 15; attempt += 1) {
      for await (const row of readInSnapshot(prisma, (tx) => streamIdentities(tx, query, 2))) {
        expect(row.name).toMatch(/^snapshot-/);
        break;
      }
    }
    const open = await prisma.$queryRaw<{ count: number }[]>`
      SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'`;
    expect(open[0]!.count).toBe(0);
  });
});
