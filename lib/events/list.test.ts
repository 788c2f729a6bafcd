import { beforeAll, describe, expect, it } from "vitest";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { createIdentity } from "@/lib/inventory/identities";
import { createTestUser, systemActor } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";
import { findActivityPage, findIdentityActivity, parseActivityListView } from "./list";
import { recordEvents } from "./record";

// The Activity log's filters and pages, and the identity page's slice of it.

let first: { id: string };
let second: { id: string };

beforeAll(async () => {
  const owner = await createTestUser();
  const identity = (name: string) =>
    executeMutation(createIdentity, systemActor, {
      name,
      kind: "CODING_AGENT",
      purpose: "Fixes failing builds",
      environment: "DEV",
      ownerId: owner.user.id,
      expiresAt: new Date(Date.now() + 30 * DAY_MS).toISOString(),
    });
  first = await identity("activity-first");
  second = await identity("activity-second");
  const caller = (identityId: string) => ({ identityId, credential: { kind: "api_token" as const, id: "t" } });
  await recordEvents(prisma, caller(first.id), {
    events: [
      { kind: "tool_call", tool: "Read", occurredAt: "2026-11-01T10:00:00Z" },
      { kind: "tool_call", tool: "Bash", occurredAt: "2026-11-02T10:00:00Z" },
      { kind: "token_use", targetEnvironment: "PROD", occurredAt: "2026-11-03T10:00:00Z" },
    ],
  });
  await recordEvents(prisma, caller(second.id), { events: [{ kind: "token_use", occurredAt: "2026-11-04T10:00:00Z" }] });
});

const page = (params: Record<string, string>, size = 25) => findActivityPage(prisma, parseActivityListView(params).query, 1, size);

describe("the Activity log", () => {
  it("lists newest first and filters by identity, kind, tool, flags and time", async () => {
    const all = await page({});
    expect(all.items.map((item) => item.tool ?? item.kind)).toEqual(["TOKEN_USE", "TOKEN_USE", "Bash", "Read"]);
    expect(all).toMatchObject({ total: 4, totalIsExact: true });
    expect((await page({ identity: second.id })).items.map((item) => item.identityName)).toEqual(["activity-second"]);
    expect((await page({ kind: "TOOL_CALL", identity: first.id })).total).toBe(2);
    expect((await page({ tool: "Bash" })).items.map((item) => item.tool)).toEqual(["Bash"]);
    // Tool calls without a decision are flagged, and so is the token used on PROD by a DEV identity.
    const flagged = await page({ flagged: "1" });
    expect(flagged.items.map((item) => [item.tool ?? item.kind, item.flags.map((flag) => flag.kind)])).toEqual([
      ["TOKEN_USE", ["OUTSIDE_ENVIRONMENT"]],
      ["Bash", ["NO_ALLOWING_DECISION"]],
      ["Read", ["NO_ALLOWING_DECISION"]],
    ]);
    expect((await page({ flag: "OUTSIDE_ENVIRONMENT" })).total).toBe(1);
    expect((await page({ from: "2026-11-02", to: "2026-11-04" })).items.map((item) => item.tool ?? item.kind)).toEqual([
      "TOKEN_USE",
      "Bash",
    ]);
  });

  it("pages, and leaves out (and names) a parameter it cannot use", async () => {
    const secondPage = await findActivityPage(prisma, {}, 2, 3);
    expect(secondPage.items.map((item) => item.tool)).toEqual(["Read"]);
    const view = parseActivityListView({ kind: "FILE_READ", flagged: "yes", tool: "Bash" });
    expect(view.refused).toEqual({ kind: expect.stringMatching(/^must be one of/), flagged: "must be 1" });
    expect(view.query).toEqual({ tool: "Bash" });
  });

  it("gives the identity page its newest tool calls and flags", async () => {
    const activity = await findIdentityActivity(prisma, first.id);
    expect(activity.toolCalls.map((item) => item.tool)).toEqual(["Bash", "Read"]);
    expect(activity.flags.map((flag) => flag.kind)).toEqual(["OUTSIDE_ENVIRONMENT", "NO_ALLOWING_DECISION", "NO_ALLOWING_DECISION"]);
  });
});
