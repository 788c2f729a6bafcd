import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { createIdentity } from "@/lib/inventory/identities";
import { createSavedView } from "@/lib/inventory/saved-views";
import { attestReview } from "@/lib/reviews/reviews";
import { apiAs } from "@/lib/testing/api-client";
import { runCli } from "@/lib/testing/cli";
import { countRows, createTestToken, createTestUser, switchOffApprovals } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";

// Review campaigns through /api/v1 and the CLI, as a script or an operator
// would use them.

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
const inDays = (days: number) => new Date(Date.now() + days * DAY_MS);

let lead: Awaited<ReturnType<typeof createTestUser>>;
let owner: Awaited<ReturnType<typeof createTestUser>>;
let leadApi: ReturnType<typeof apiAs>;
let ownerApi: ReturnType<typeof apiAs>;
let auditorApi: ReturnType<typeof apiAs>;
let leadToken: string;
let auditorToken: string;
let teamId: string;

/** GET …/report answers CSV, not JSON. */
async function report(token: string, id: string, query = "") {
  const handlers = (await import(path.resolve("app/api/v1/campaigns/[id]/report/route.ts"))) as Record<string, Handler>;
  const response = await handlers.GET!(
    new Request(`http://localhost/api/v1/campaigns/${id}/report${query}`, { headers: { authorization: `Bearer ${token}` } }),
    { params: Promise.resolve({ id }) },
  );
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
}

beforeAll(async () => {
  await switchOffApprovals();
  lead = await createTestUser(["SECURITY_LEAD"], { email: "api-lead@example.com" });
  owner = await createTestUser([], { email: "api-owner@example.com" });
  const auditor = await createTestUser(["AUDITOR"], { email: "api-auditor@example.com" });
  leadToken = await createTestToken(lead.user.email);
  auditorToken = await createTestToken(auditor.user.email);
  leadApi = apiAs(leadToken);
  ownerApi = apiAs(await createTestToken(owner.user.email));
  auditorApi = apiAs(auditorToken);
  teamId = (await prisma.team.create({ data: { name: "Platform" } })).id;
  for (const name of ["platform-bot-1", "platform-bot-2", "platform-bot-3"]) {
    await executeMutation(createIdentity, lead.actor, {
      name,
      kind: "CI_BOT",
      purpose: "Builds and tests the platform",
      environment: "DEV",
      ownerId: owner.user.id,
      teamId,
      expiresAt: inDays(200).toISOString(),
    });
  }
  await executeMutation(createIdentity, lead.actor, {
    name: "cli-target",
    kind: "CI_BOT",
    purpose: "Started from the command line",
    environment: "STAGING",
    ownerId: owner.user.id,
    expiresAt: inDays(200).toISOString(),
  });
});

describe("/api/v1/campaigns", () => {
  let id: string;

  it("refuses owners and auditors (403) and writes nothing", async () => {
    const before = await countRows();
    const body = { name: "x", message: "m", dueAt: inDays(5).toISOString(), query: `teamId=${teamId}` };
    expect((await ownerApi.post("campaigns", body)).status).toBe(403);
    expect((await auditorApi.post("campaigns", body)).status).toBe(403);
    expect(await countRows()).toEqual(before);
    expect(await prisma.reviewCampaign.count()).toBe(0);
  });

  it("answers 422 naming the field for a past due date and a filter that does not parse", async () => {
    const past = await leadApi.post("campaigns", { name: "x", message: "m", dueAt: "2020-01-01", query: "risk=EXTREME" });
    expect(past.status).toBe(422);
    expect(past.body.error.fields).toEqual({ dueAt: "must be in the future" });
    const bad = await leadApi.post("campaigns", { name: "x", message: "m", dueAt: inDays(5).toISOString(), query: "risk=EXTREME" });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields.query).toMatch(/risk: must be one of/);
    expect(await prisma.reviewCampaign.count()).toBe(0);
  });

  it("starts a campaign (201), lists it and shows it; its progress moves when the owner attests", async () => {
    const started = await leadApi.post("campaigns", {
      name: "Platform spring clean",
      message: "Retire what you no longer use.",
      dueAt: inDays(14).toISOString().slice(0, 10),
      query: `teamId=${teamId}`,
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ matched: 3, created: 3, joined: 0, inOtherCampaigns: 0, notified: 1 });
    id = started.body.id as string;

    const list = await auditorApi.get("campaigns");
    expect(list.status).toBe(200);
    expect(list.body.campaigns).toEqual([
      expect.objectContaining({ id, status: "OPEN", progress: { total: 3, attested: 0, pending: 3, overdue: 0, cancelled: 0 } }),
    ]);

    const review = await prisma.review.findFirstOrThrow({ where: { campaignId: id } });
    await executeMutation(attestReview, owner.actor, {
      reviewId: review.id,
      stillNeeded: "yes",
      purposeUnchanged: "yes",
      permissionsMinimal: "yes",
      credentialsRotated: "yes",
      outcome: "KEEP",
    });
    const detail = await ownerApi.get("campaigns/[id]", { id });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      name: "Platform spring clean",
      status: "OPEN",
      progress: { total: 3, attested: 1, pending: 2 },
      byOwner: { groups: 1, rows: [{ label: "api-owner", total: 3, attested: 1 }] },
      byTeam: { groups: 1, rows: [{ label: "Platform", total: 3 }] },
    });
    expect(detail.body.reviews).toHaveLength(3);
    expect(detail.body.burndown[0]).toMatchObject({ open: 2, ideal: 3 });
    expect((await leadApi.get("campaigns/[id]", { id: "no-such-campaign" })).status).toBe(404);
  });

  it("nudges (409: nobody late), reports as CSV (events only for audit readers), and closes once", async () => {
    const nudge = await leadApi.post("campaigns/[id]/nudge", {}, { id });
    expect(nudge.status).toBe(409);
    expect(nudge.body.error.message).toMatch(/Nobody is late/);
    expect((await ownerApi.post("campaigns/[id]/nudge", {}, { id })).status).toBe(403);

    const csv = await report(auditorToken, id);
    expect(csv.status).toBe(200);
    expect(csv.type).toBe("text/csv; charset=utf-8");
    expect(csv.text.split("\r\n").filter(Boolean)).toHaveLength(4);
    expect((await report(auditorToken, id, "?part=events")).text).toContain("campaign.started");
    const ownerToken = await createTestToken(owner.user.email);
    expect((await report(ownerToken, id, "?part=events")).status).toBe(403);
    expect((await report(ownerToken, id, "?part=everything")).status).toBe(422);
    expect(await prisma.auditEvent.count({ where: { action: "campaign.report_downloaded", targetId: id } })).toBe(2);

    expect((await ownerApi.post("campaigns/[id]/close", {}, { id })).status).toBe(403);
    const closed = await leadApi.post("campaigns/[id]/close", {}, { id });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: "CLOSED", closedById: lead.user.id, progress: { attested: 1, total: 3 } });
    expect((await leadApi.post("campaigns/[id]/close", {}, { id })).status).toBe(409);
  });
});

describe("npm run cli -- campaigns:*", () => {
  it("starts a campaign from a saved view as the named lead, lists it and closes it", async () => {
    await executeMutation(createSavedView, lead.actor, { name: "Staging bots", query: "environment=STAGING", shared: "0" });
    const due = inDays(7).toISOString().slice(0, 10);
    const refusedCli = await runCli([
      "campaigns:start",
      "--as",
      owner.user.email,
      "--name",
      "x",
      "--due",
      due,
      "--message",
      "m",
      "--query",
      "",
    ]);
    expect(refusedCli.code).toBe(1);
    expect(refusedCli.output).toMatch(/not allowed to start review campaigns/);

    const noFilter = await runCli(["campaigns:start", "--as", lead.user.email, "--name", "x", "--due", due, "--message", "m"]);
    expect(noFilter.code).toBe(64);

    const started = await runCli([
      "campaigns:start",
      "--as",
      lead.user.email,
      "--name",
      "Staging check",
      "--due",
      due,
      "--message",
      "Is staging still needed?",
      "--view",
      "Staging bots",
    ]);
    expect(started.output).toMatch(
      /Started campaign "Staging check" \(\w+\), due \d{4}-\d\d-\d\d: 1 reviews opened, 0 open reviews joined, 1 people told\./,
    );
    expect(started.code).toBe(0);
    const campaign = await prisma.reviewCampaign.findFirstOrThrow({ where: { name: "Staging check" } });
    expect(campaign).toMatchObject({ savedViewName: "Staging bots", query: "environment=STAGING", createdById: lead.user.id });

    const listed = await runCli(["campaigns:list"]);
    expect(listed.code).toBe(0);
    expect(listed.output).toContain(`${campaign.id}  OPEN   due ${due}  0/1 attested, 1 pending, 0 overdue  Staging check`);

    const closed = await runCli(["campaigns:close", campaign.id, "--as", lead.user.email]);
    expect(closed.output).toMatch(/Closed campaign "Staging check": 0 of 1 reviews attested/);
    expect(closed.code).toBe(0);
    expect((await prisma.reviewCampaign.findUniqueOrThrow({ where: { id: campaign.id } })).closedById).toBe(lead.user.id);
  }, 120_000);
});
