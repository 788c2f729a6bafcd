import { describe, expect, it } from "vitest";
import { INVENTORY_CSV_COLUMNS, inventoryCsvStream, toCsvRow } from "./csv";
import { parseCsv } from "./csv-parse";

// Read back with the import's own RFC 4180 parser: what export writes, import must read.
import type { InventoryRow } from "./query";

describe("toCsvRow", () => {
  it("writes plain values as they are, CRLF-terminated", () => {
    expect(toCsvRow(["a", "b c", 3, true])).toBe("a,b c,3,true\r\n");
  });

  it("quotes fields with commas, quotes and line breaks, doubling the quotes", () => {
    const row = toCsvRow(['say "hi"', "a,b", "two\nlines", "cr\rhere", "plain"]);
    expect(row).toBe('"say ""hi""","a,b","two\nlines","cr\rhere",plain\r\n');
    expect(parseCsv(row)).toEqual([['say "hi"', "a,b", "two\nlines", "cr\rhere", "plain"]]);
  });

  it("writes null and undefined as empty fields and dates as ISO 8601 UTC", () => {
    expect(toCsvRow([null, undefined, new Date("2027-03-31T12:00:00Z")])).toBe(",,2027-03-31T12:00:00.000Z\r\n");
  });

  it.each([
    ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"\r\n`],
    ["+1+1", "'+1+1\r\n"],
    ["-2+3", "'-2+3\r\n"],
    ["@SUM(A1)", "'@SUM(A1)\r\n"],
    ["\tcmd", "'\tcmd\r\n"],
    ["\rcmd", `"'\rcmd"\r\n`],
  ])("neutralises a cell that a spreadsheet would run as a formula: %j", (value, written) => {
    expect(toCsvRow([value])).toBe(written);
    // The import strips the guard again, so a round trip is exact.
    expect(parseCsv(toCsvRow([value, "next"]))).toEqual([[value, "next"]]);
  });

  it("leaves formula characters alone when they are not at the start", () => {
    expect(toCsvRow(["a=b", "x@example.com", "ci-bot"])).toBe("a=b,x@example.com,ci-bot\r\n");
  });
});

function row(overrides: Partial<InventoryRow> = {}): InventoryRow {
  const date = new Date("2027-01-02T03:04:05Z");
  return {
    id: "id1",
    name: "bot",
    kind: "CI_BOT",
    vendor: null,
    product: null,
    model: null,
    purpose: "Runs, tests",
    environment: "PROD",
    autonomy: "DRAFT",
    status: "ACTIVE",
    riskTier: "HIGH",
    expiresAt: date,
    nextReviewAt: date,
    orphanedAt: null,
    externalId: null,
    createdAt: date,
    updatedAt: date,
    owner: { id: "u1", name: "Olivia", email: "olivia@example.com" },
    backupOwner: null,
    team: { id: "t1", name: "Payments" },
    ...overrides,
  };
}

async function* rows(count: number) {
  for (let i = 0; i < count; i += 1) yield row({ id: `id${i}`, name: `bot-${i}` });
}

describe("inventoryCsvStream", () => {
  it("writes the header and one record per row with every column", async () => {
    const text = await new Response(inventoryCsvStream(rows(2))).text();
    const records = parseCsv(text);
    expect(records[0]).toEqual([...INVENTORY_CSV_COLUMNS]);
    expect(records).toHaveLength(3);
    const first = Object.fromEntries(INVENTORY_CSV_COLUMNS.map((column, index) => [column, records[1]![index]]));
    expect(first).toMatchObject({
      id: "id0",
      name: "bot-0",
      purpose: "Runs, tests",
      ownerEmail: "olivia@example.com",
      team: "Payments",
      backupOwnerEmail: "",
      expiresAt: "2027-01-02T03:04:05.000Z",
      orphanedAt: "",
    });
  });

  it("writes only the header when nothing matches", async () => {
    expect(parseCsv(await new Response(inventoryCsvStream(rows(0))).text())).toEqual([[...INVENTORY_CSV_COLUMNS]]);
  });

  it("pulls rows as the reader asks for them instead of reading them all first", async () => {
    let produced = 0;
    async function* counted() {
      for (let i = 0; i < 100_000; i += 1) {
        produced += 1;
        yield row({ id: `id${i}`, purpose: "x".repeat(100) });
      }
    }
    const reader = inventoryCsvStream(counted()).getReader();
    await reader.read(); // header
    await reader.read(); // first chunk of records
    expect(produced).toBeGreaterThan(0);
    expect(produced).toBeLessThan(2_000);
    await reader.cancel();
  });
});
