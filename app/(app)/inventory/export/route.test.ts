import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db/client";
import { INVENTORY_CSV_COLUMNS } from "@/lib/inventory/csv";
import { parseCsvObjects } from "@/lib/inventory/csv-parse";
import { createTestUser } from "@/lib/testing/factories";

// The real route handler, called with real Requests against a real database.
// Only the session lookup is replaced: reading the Auth.js cookie needs a
// running Next server, and who is signed in is what these tests choose.

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/session", () => ({ getSessionActor: async () => session.actor }));

const { GET } = await import("./route");

const PROD_COUNT = 1_203; // more than one batch of streamIdentities (1,000)
const DEV_COUNT = 40;
const TRICKY_PURPOSE = 'Reads "secrets", then\nwrites, reports';
const FORMULA_VENDOR = '=HYPERLINK("http://evil.example","x")';

/** Records as objects keyed by the header row. */
function parseRecords(text: string) {
  const { header, rows } = parseCsvObjects(text);
  expect(header).toEqual([...INVENTORY_CSV_COLUMNS]);
  return rows.map((row) => row.values);
}

const get = (query: string) => GET(new Request(`http://localhost/inventory/export${query}`));

let memberActor: Actor;

beforeAll(async () => {
  const { user, actor } = await createTestUser([], { email: "exporter@example.com" });
  memberActor = actor;
  const expiresAt = new Date(Date.now() + 30 * 86_400_000);
  const base = { kind: "CI_BOT" as const, ownerId: user.id, expiresAt, nextReviewAt: expiresAt, status: "ACTIVE" as const };
  await prisma.aiIdentity.createMany({
    data: [
      ...Array.from({ length: PROD_COUNT }, (_, i) => ({
        ...base,
        name: `prod-${String(i).padStart(4, "0")}`,
        environment: "PROD" as const,
        purpose: `Purpose ${i}`,
      })),
      ...Array.from({ length: DEV_COUNT }, (_, i) => ({ ...base, name: `dev-${i}`, environment: "DEV" as const, purpose: `Purpose ${i}` })),
    ],
  });
  await prisma.aiIdentity.update({
    where: { name_environment: { name: "prod-0007", environment: "PROD" } },
    data: { purpose: TRICKY_PURPOSE, vendor: FORMULA_VENDOR },
  });
});

beforeEach(() => {
  session.actor = memberActor;
});

describe("GET /inventory/export", () => {
  it("streams every matching row (not one page) as an attachment, quoted correctly", async () => {
    const response = await get("?environment=PROD&sort=name&dir=desc&page=3&pageSize=25");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="warrant-inventory-\d{4}-\d{2}-\d{2}\.csv"$/);

    const text = await response.text();
    // The formula guard is in the file itself; the import's parser (used below) takes it off again.
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    const records = parseRecords(text);
    const expectedIds = await prisma.aiIdentity.findMany({
      where: { environment: "PROD" },
      orderBy: [{ name: "desc" }, { id: "desc" }],
      select: { id: true },
    });
    expect(records).toHaveLength(PROD_COUNT);
    expect(records.map((record) => record.id)).toEqual(expectedIds.map((row) => row.id));
    expect(new Set(records.map((record) => record.environment))).toEqual(new Set(["PROD"]));

    const tricky = records.find((record) => record.name === "prod-0007")!;
    expect(tricky.purpose).toBe(TRICKY_PURPOSE);
    expect(tricky.vendor).toBe(FORMULA_VENDOR);
    expect(tricky.ownerEmail).toBe("exporter@example.com");
  });

  it("exports everything when there are no filters", async () => {
    const records = parseRecords(await (await get("")).text());
    expect(records).toHaveLength(PROD_COUNT + DEV_COUNT);
  });

  it("exports only the selected ids when they are given", async () => {
    const picked = await prisma.aiIdentity.findMany({ where: { name: { in: ["dev-3", "prod-0100", "prod-0007"] } }, select: { id: true } });
    const query = `?${picked.map((row) => `id=${row.id}`).join("&")}&sort=name`;
    const records = parseRecords(await (await get(query)).text());
    expect(records.map((record) => record.name)).toEqual(["dev-3", "prod-0007", "prod-0100"]);
  });

  it("answers 401 without a session, and a 422 naming a bad param", async () => {
    session.actor = null;
    const anonymous = await get("");
    expect(anonymous.status).toBe(401);

    session.actor = memberActor;
    const bad = await get("?environment=MOON");
    expect(bad.status).toBe(422);
    const body = (await bad.json()) as { error: { code: string; fields: Record<string, string> } };
    expect(body.error.code).toBe("validation_failed");
    expect(Object.keys(body.error.fields)[0]).toMatch(/^environment/);
  });
});
