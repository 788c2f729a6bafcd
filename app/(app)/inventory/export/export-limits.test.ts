import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db/client";
import { createTestUser } from "@/lib/testing/factories";

// A CSV export holds a database connection and a snapshot transaction while
// the client reads. Ten slow readers used to take the whole pool and hang the
// app. Exports now have a small pool of their own, a cap on how many run at
// once (per person and overall), and a reader that stops reading is cut off.

vi.hoisted(() => {
  Object.assign(process.env, { WARRANT_EXPORTS_MAX: "2", WARRANT_EXPORTS_PER_PERSON: "1", WARRANT_EXPORT_STALL_SECONDS: "1" });
});
const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/session", () => ({ getSessionActor: async () => session.actor }));

const { GET } = await import("./route");

const exportAs = async (actor: Actor) => {
  session.actor = actor;
  return GET(new Request("http://localhost/inventory/export"));
};

let people: Actor[];

beforeAll(async () => {
  people = await Promise.all([0, 1, 2].map(async () => (await createTestUser([])).actor));
  const { user } = await createTestUser([]);
  const expiresAt = new Date(Date.now() + 30 * 86_400_000);
  // Several 64 KiB chunks of CSV, so a reader that takes only the first keeps the export open.
  await prisma.aiIdentity.createMany({
    data: Array.from({ length: 2_000 }, (_, i) => ({
      name: `export-${i}`,
      kind: "CI_BOT" as const,
      environment: "DEV" as const,
      purpose: `Purpose ${"x".repeat(100)} ${i}`,
      ownerId: user.id,
      expiresAt,
      nextReviewAt: expiresAt,
      status: "ACTIVE" as const,
    })),
  });
});

let open: ReadableStreamDefaultReader<Uint8Array>[] = [];
beforeEach(async () => {
  for (const reader of open) await reader.cancel().catch(() => undefined);
  open = [];
});

/** Starts reading an export (its header and first rows) and then stops, like a slow client. */
async function startAndHold(response: Response) {
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  open.push(reader);
  await reader.read();
  await reader.read();
  return reader;
}

async function idleTransactions(): Promise<number> {
  const [row] = await prisma.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'`;
  return row!.count;
}

describe("concurrent exports", () => {
  it("answer 429 with Retry-After past the per-person and overall caps, while ordinary queries still answer", async () => {
    const [first, second, third] = people as [Actor, Actor, Actor];
    await startAndHold(await exportAs(first));

    const samePerson = await exportAs(first);
    expect(samePerson.status).toBe(429);
    expect(Number(samePerson.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await samePerson.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: "rate_limited",
      message: expect.stringMatching(/You already have 1 export running/),
    });

    await startAndHold(await exportAs(second));
    const overall = await exportAs(third);
    expect(overall.status).toBe(429);
    expect(((await overall.json()) as { error: { message: string } }).error.message).toMatch(/2 exports are running/);

    // The app's own pool is untouched by the exports holding theirs.
    expect(await prisma.user.count()).toBeGreaterThanOrEqual(4);

    // Finishing one (here: the reader goes away) frees its place.
    for (const reader of open.splice(0)) await reader.cancel();
    const again = await exportAs(third);
    expect(again.status).toBe(200);
    expect((await again.text()).split("\r\n").length).toBeGreaterThan(2_000);
  });
});

describe("a reader that stops reading", () => {
  it("is cut off: the stream fails, the transaction ends and the connection is released", async () => {
    const reader = await startAndHold(await exportAs(people[0]!));
    expect(await idleTransactions()).toBeGreaterThanOrEqual(1);
    // WARRANT_EXPORT_STALL_SECONDS is 1 here; wait well past it.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await expect(
      (async () => {
        for (;;) if ((await reader.read()).done) return "finished";
      })(),
    ).rejects.toThrow(/stopped reading/);
    expect(await idleTransactions()).toBe(0);
    expect((await exportAs(people[0]!)).status).toBe(200);
  });
});
