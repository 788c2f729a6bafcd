import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { createTestUser } from "@/lib/testing/factories";

// The identity pages with an id no record can have. PostgreSQL refuses a NUL
// in text, so before ids were screened `/inventory/%00` reached the database
// and answered a 500; it is a page that does not exist, so it answers 404.
// Only the session is replaced: reading the Auth.js cookie needs a running
// Next server, and who is signed in is what these tests choose.

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/session", () => ({
  requirePermission: async () => session.actor,
  requireActor: async () => session.actor,
  getSessionActor: async () => session.actor,
}));

const identityPage = await import("./page");
const editPage = await import("./edit/page");

/** What Next answers for an error thrown while rendering: notFound() carries this digest, anything else is a 500. */
async function statusOf(render: () => Promise<unknown>): Promise<number> {
  try {
    await render();
    return 200;
  } catch (error) {
    return (error as { digest?: string }).digest === "NEXT_HTTP_ERROR_FALLBACK;404" ? 404 : 500;
  }
}

beforeAll(async () => {
  session.actor = (await createTestUser(["ADMIN"])).actor;
});

describe("an identity page for an id that cannot exist", () => {
  const ids = ["\u0000", "abc\u0000def", "x".repeat(20_000), "no-such-identity"];

  it.each(ids.map((id) => [JSON.stringify(id).slice(0, 20), id]))(
    "%s: the page, its metadata and its edit page answer 404",
    async (_label, id) => {
      const params = () => Promise.resolve({ id });
      expect(await statusOf(() => identityPage.default({ params: params() }))).toBe(404);
      expect(await statusOf(() => editPage.default({ params: params() }))).toBe(404);
      expect(await statusOf(() => identityPage.generateMetadata({ params: params() }))).not.toBe(500);
    },
  );
});
