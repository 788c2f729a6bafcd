import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { createIdentity, retireIdentity } from "@/lib/inventory/identities";
import { createSavedView } from "@/lib/inventory/saved-views";
import { attestReview, openReview } from "@/lib/reviews/reviews";
import { countRows, createTestUser, refused, switchOffApprovals } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";
import { closeCampaign, nudgeCampaign } from "./manage";
import { campaignBurndown, campaignProgress, campaignProgressBy, campaignReviewsPage, findCampaign, listCampaigns } from "./queries";
import { campaignEventsCsv, campaignReportCsv, downloadCampaignReport } from "./report";
import { startCampaign } from "./start";

// Review campaigns against a real database, through executeMutation as the
// campaign pages, the API and the CLI call them.

const inDays = (days: number) => new Date(Date.now() + days * DAY_MS);

type Person = { user: { id: string; email: string; name: string | null }; actor: Actor };
let lead: Person;
let otherLead: Person;
let ownerA: Person;
let ownerB: Person;
let backup: Person;
let leaver: Person;
let member: Person;
let auditor: Person;
let teamX: string;
let teamY: string;
const ids: Record<string, string> = {};

async function register(name: string, owner: Person, teamId: string, extra: Record<string, unknown> = {}) {
  const identity = await executeMutation(createIdentity, lead.actor, {
    name,
    kind: "CODING_AGENT",
    purpose: "Writes code in the team's repositories",
    environment: "DEV",
    ownerId: owner.user.id,
    teamId,
    expiresAt: inDays(300).toISOString(),
    reviewCadenceDays: 180,
    ...extra,
  });
  ids[name] = identity.id;
  return identity;
}

const attestation = (reviewId: string) => ({
  reviewId,
  stillNeeded: "yes",
  purposeUnchanged: "yes",
  permissionsMinimal: "yes",
  credentialsRotated: "yes",
  outcome: "KEEP",
});

/** What a refused start must leave as it was. */
async function snapshot() {
  const [rows, reviews, campaigns, messages, identities] = await Promise.all([
    countRows(),
    prisma.review.findMany({ orderBy: { id: "asc" } }),
    prisma.reviewCampaign.count(),
    prisma.notificationMessage.count(),
    prisma.aiIdentity.findMany({ orderBy: { id: "asc" }, select: { id: true, nextReviewAt: true, riskTier: true, updatedAt: true } }),
  ]);
  return { rows, reviews, campaigns, messages, identities };
}

async function messagesTo(email: string, campaignId: string, event: string) {
  const messages = await prisma.notificationMessage.findMany({ where: { recipient: email, event, channel: "EMAIL" } });
  return messages.filter((message) => (message.payload as { campaignId?: string }).campaignId === campaignId);
}

const openReviewOf = (identityId: string) => prisma.review.findFirstOrThrow({ where: { identityId, status: "OPEN" } });

beforeAll(async () => {
  await switchOffApprovals();
  lead = await createTestUser(["SECURITY_LEAD"], { email: "lead@example.com" });
  otherLead = await createTestUser(["SECURITY_LEAD"], { email: "lead2@example.com" });
  ownerA = await createTestUser([], { email: "ann@example.com" });
  ownerB = await createTestUser([], { email: "bob@example.com" });
  backup = await createTestUser([], { email: "backup@example.com" });
  leaver = await createTestUser([], { email: "leaver@example.com" });
  member = await createTestUser([], { email: "member@example.com" });
  auditor = await createTestUser(["AUDITOR"], { email: "auditor@example.com" });
  teamX = (await prisma.team.create({ data: { name: "Payments" } })).id;
  teamY = (await prisma.team.create({ data: { name: "Search" } })).id;

  await register("ann-agent", ownerA, teamX);
  await register("ann-joins", ownerA, teamX);
  await register("ann-elsewhere", ownerA, teamX);
  await register("ann-retired", ownerA, teamX);
  await register("bob-agent", ownerB, teamX);
  await register("bob-other-team", ownerB, teamY);
  await register("orphan-with-backup", leaver, teamX, { backupOwnerId: backup.user.id });
  await register("orphan-alone", leaver, teamX);
  await executeMutation(retireIdentity, lead.actor, { identityId: ids["ann-retired"], reason: "gone" });
  // The leaver left: their identities are orphaned (what deactivating a user does).
  await prisma.user.update({ where: { id: leaver.user.id }, data: { active: false } });
  await prisma.aiIdentity.updateMany({ where: { ownerId: leaver.user.id }, data: { orphanedAt: new Date() } });
  // An open review of its own, not in any campaign: it joins.
  await executeMutation(openReview, lead.actor, { identityId: ids["ann-joins"], dueAt: inDays(20).toISOString() });
  // An open review already in another campaign: it stays there.
  await executeMutation(startCampaign, lead.actor, {
    name: "Earlier campaign",
    message: "Please review",
    dueAt: inDays(5).toISOString(),
    query: "q=ann-elsewhere",
  });
});

describe("starting a campaign", () => {
  let campaignId: string;

  it("refuses members and auditors (403) and writes nothing", async () => {
    const before = await snapshot();
    const input = { name: "Nope", message: "m", dueAt: inDays(10).toISOString(), query: `teamId=${teamX}` };
    expect((await refused(executeMutation(startCampaign, member.actor, input))).status).toBe(403);
    expect((await refused(executeMutation(startCampaign, auditor.actor, input))).status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a past due date, an empty selection, a filter that does not parse and two filters at once, naming the field, and writes nothing", async () => {
    const before = await snapshot();
    const start = (input: Record<string, unknown>) =>
      refused(executeMutation(startCampaign, lead.actor, { name: "Bad", message: "m", dueAt: inDays(10).toISOString(), ...input }));

    const past = await start({ dueAt: new Date(Date.now() - DAY_MS).toISOString(), query: `teamId=${teamX}` });
    expect(past.status).toBe(422);
    expect(past.fields).toEqual({ dueAt: "must be in the future" });

    const empty = await start({ query: "q=no-such-identity-anywhere" });
    expect(empty.status).toBe(422);
    expect(empty.message).toMatch(/matches no identity in service/);
    expect(empty.fields).toEqual({ query: "matches no identity in service" });

    // Only retired: nothing in service.
    expect((await start({ query: "q=ann-retired" })).fields).toEqual({ query: "matches no identity in service" });

    const bad = await start({ query: "status=NOPE&teamId=x" });
    expect(bad.status).toBe(422);
    expect(bad.fields?.query).toMatch(/^the filter is not valid \(status: must be one of PROPOSED/);

    const both = await start({ query: "", savedViewId: "some-view" });
    expect(both.fields).toEqual({ savedViewId: "give either a saved view or a query, not both" });

    const neither = await start({});
    expect(neither.fields?.query).toMatch(/is required/);

    const missing = await refused(executeMutation(startCampaign, lead.actor, { query: "" }));
    expect(Object.keys(missing.fields ?? {}).sort()).toEqual(["dueAt", "message", "name"]);
    expect(await snapshot()).toEqual(before);
  });

  it("opens one review per matching identity in service, joins open reviews, and says which stayed in another campaign", async () => {
    const auditBefore = await prisma.auditEvent.count();
    const dueAt = inDays(10);
    const before = await prisma.aiIdentity.findMany({ select: { id: true, riskTier: true, nextReviewAt: true } });
    const joiningReview = await openReviewOf(ids["ann-joins"]!);

    const result = await executeMutation(startCampaign, lead.actor, {
      name: "Q4 payments review",
      message: "Payments is audited in January: please confirm every tool is still needed.",
      dueAt: dueAt.toISOString(),
      query: `teamId=${teamX}&sort=name&page=3`,
    });
    campaignId = result.id;
    expect(result).toMatchObject({ matched: 6, created: 4, joined: 1, inOtherCampaigns: 1, query: `teamId=${teamX}&sort=name` });

    const reviews = await prisma.review.findMany({ where: { campaignId }, include: { identity: { select: { name: true } } } });
    expect(reviews.map((review) => review.identity.name).sort()).toEqual([
      "ann-agent",
      "ann-joins",
      "bob-agent",
      "orphan-alone",
      "orphan-with-backup",
    ]);
    const joined = reviews.find((review) => review.id === joiningReview.id)!;
    // A joined review keeps its own trigger and due date.
    expect(joined).toMatchObject({ trigger: "MANUAL", dueAt: joiningReview.dueAt, status: "OPEN" });
    const created = reviews.filter((review) => review.id !== joiningReview.id);
    for (const review of created) {
      expect(review).toMatchObject({
        trigger: "CAMPAIGN",
        status: "OPEN",
        dueAt,
        openedById: lead.user.id,
        reason: "Review campaign: Q4 payments review",
      });
    }
    // The other campaign's review stayed there; the other team and the retired identity got nothing.
    expect((await openReviewOf(ids["ann-elsewhere"]!)).campaignId).not.toBe(campaignId);
    expect(await prisma.review.count({ where: { identityId: { in: [ids["bob-other-team"]!, ids["ann-retired"]!] } } })).toBe(0);

    // Next review dates move forward to the due date, as opening a review does; risk tiers stay.
    const after = await prisma.aiIdentity.findMany({ select: { id: true, riskTier: true, nextReviewAt: true } });
    for (const identity of after) {
      const was = before.find((row) => row.id === identity.id)!;
      expect(identity.riskTier).toBe(was.riskTier);
      const isNew = created.some((review) => review.identityId === identity.id);
      expect(identity.nextReviewAt).toEqual(isNew ? dueAt : was.nextReviewAt);
    }

    const campaign = await prisma.reviewCampaign.findUniqueOrThrow({ where: { id: campaignId } });
    expect(campaign).toMatchObject({ status: "OPEN", identityCount: 5, createdById: lead.user.id, savedViewName: null });
    const events = await prisma.auditEvent.findMany({ where: { seq: { gt: BigInt(auditBefore) } } });
    expect(events.map((event) => event.action)).toEqual(["campaign.started"]);
    expect(events[0]).toMatchObject({ targetType: "campaign", targetId: campaignId, actorId: lead.user.id });
    expect(events[0]!.data).toMatchObject({ matched: 6, created: 4, joined: 1, inOtherCampaigns: 1, query: `teamId=${teamX}&sort=name` });
  });

  it("writes one message per owner, orphans' to the backup owner or else the security leads", async () => {
    const [ann] = await messagesTo("ann@example.com", campaignId, "campaign.started");
    expect(await messagesTo("ann@example.com", campaignId, "campaign.started")).toHaveLength(1);
    const due = inDays(10).toISOString().slice(0, 10);
    expect(ann!.subject).toBe(`Review campaign Q4 payments review: 2 identities of yours to review by ${due}`);
    expect(ann!.body).toContain("Payments is audited in January");
    expect(ann!.link).toBe("/tasks");
    expect((await messagesTo("bob@example.com", campaignId, "campaign.started"))[0]!.subject).toMatch(/: 1 identity of yours to review by/);
    expect((await messagesTo("backup@example.com", campaignId, "campaign.started"))[0]!.subject).toMatch(/: 1 identity of yours/);
    expect(await messagesTo("leaver@example.com", campaignId, "campaign.started")).toHaveLength(0);
    for (const email of ["lead@example.com", "lead2@example.com"]) {
      const [message] = await messagesTo(email, campaignId, "campaign.started");
      expect(message!.subject).toMatch(/1 identity whose owner has left to review by/);
    }
    expect(await messagesTo("member@example.com", campaignId, "campaign.started")).toHaveLength(0);
  });

  it("starts from a saved view (one's own or a shared one), recording its name; someone else's private view is not found", async () => {
    const view = await executeMutation(createSavedView, otherLead.actor, {
      name: "Bob's other team",
      query: `teamId=${teamY}`,
      shared: "1",
    });
    const result = await executeMutation(startCampaign, lead.actor, {
      name: "Search review",
      message: "Please review",
      dueAt: "2099-01-01",
      savedViewId: view.id,
    }).catch((error: unknown) => error);
    // A date more than 90 days ahead is refused like any review's.
    expect(result).toMatchObject({ fields: { dueAt: "must be within 90 days" } });
    const started = await executeMutation(startCampaign, lead.actor, {
      name: "Search review",
      message: "Please review",
      dueAt: inDays(30).toISOString().slice(0, 10),
      savedViewId: view.id,
    });
    expect(started).toMatchObject({ matched: 1, created: 1, savedViewName: "Bob's other team", query: `teamId=${teamY}` });
    // A day alone means the end of that day (UTC).
    expect(started.dueAt.toISOString()).toMatch(/T23:59:59\.999Z$/);

    const secret = await executeMutation(createSavedView, otherLead.actor, { name: "Private", query: "", shared: "0" });
    const before = await snapshot();
    const error = await refused(
      executeMutation(startCampaign, lead.actor, { name: "x", message: "m", dueAt: inDays(5).toISOString(), savedViewId: secret.id }),
    );
    expect(error.status).toBe(404);
    expect(error.fields).toEqual({ savedViewId: "is not one of your views or a shared one" });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses (409) a filter whose identities are all in other campaigns already", async () => {
    const error = await refused(
      executeMutation(startCampaign, lead.actor, { name: "Again", message: "m", dueAt: inDays(5).toISOString(), query: `teamId=${teamY}` }),
    );
    expect(error.status).toBe(409);
    expect(error.message).toMatch(/already have an open review in another campaign/);
  });

  describe("progress, nudging and closing", () => {
    it("counts attested, pending and overdue reviews overall, by owner, by team and day by day", async () => {
      const annAgent = await openReviewOf(ids["ann-agent"]!);
      await executeMutation(attestReview, ownerA.actor, attestation(annAgent.id));
      // Time passes: Ann's joined review and the lone orphan's are overdue.
      await prisma.review.updateMany({
        where: { identityId: { in: [ids["ann-joins"]!, ids["orphan-alone"]!] }, status: "OPEN" },
        data: { dueAt: new Date(Date.now() - DAY_MS) },
      });

      const campaign = await findCampaign(prisma, campaignId);
      expect(await campaignProgress(prisma, campaign)).toEqual({ total: 5, attested: 1, pending: 2, overdue: 2, cancelled: 0 });

      const byOwner = await campaignProgressBy(prisma, campaign, "owner");
      expect(byOwner.groups).toBe(3);
      expect(byOwner.rows.map(({ label, total, attested, pending, overdue }) => ({ label, total, attested, pending, overdue }))).toEqual([
        { label: "leaver", total: 2, attested: 0, pending: 1, overdue: 1 },
        { label: "ann", total: 2, attested: 1, pending: 0, overdue: 1 },
        { label: "bob", total: 1, attested: 0, pending: 1, overdue: 0 },
      ]);
      const byTeam = await campaignProgressBy(prisma, campaign, "team");
      expect(byTeam.rows).toEqual([{ id: teamX, label: "Payments", total: 5, attested: 1, pending: 2, overdue: 2, cancelled: 0 }]);

      const burndown = await campaignBurndown(prisma, campaign);
      expect(burndown[0]).toMatchObject({ day: new Date().toISOString().slice(0, 10), open: 4, ideal: 5 });
      expect(burndown.at(-1)).toMatchObject({ day: campaign.dueAt.toISOString().slice(0, 10), open: null, ideal: 0 });
      expect(burndown).toHaveLength(11);

      const page = await campaignReviewsPage(prisma, campaign, 1);
      expect(page.map((row) => [row.identityName, row.state])).toEqual([
        ["ann-joins", "OVERDUE"],
        ["orphan-alone", "OVERDUE"],
        ["bob-agent", "PENDING"],
        ["orphan-with-backup", "PENDING"],
        ["ann-agent", "ATTESTED"],
      ]);

      const listed = (await listCampaigns(prisma)).find((item) => item.id === campaignId)!;
      expect(listed).toMatchObject({ status: "OPEN", createdBy: "lead", progress: { total: 5, attested: 1, overdue: 2 } });
    });

    it("nudges each late owner once (orphans' to the security leads), and refuses a second nudge within a day", async () => {
      const members = await refused(executeMutation(nudgeCampaign, member.actor, { campaignId }));
      expect(members.status).toBe(403);
      const auditBefore = await prisma.auditEvent.count();
      const result = await executeMutation(nudgeCampaign, lead.actor, { campaignId });
      expect(result).toMatchObject({ overdueReviews: 2, recipients: 2, notified: 3, orphanReviews: 1 });
      const [ann] = await messagesTo("ann@example.com", campaignId, "campaign.nudged");
      expect(ann!.subject).toBe("Overdue in review campaign Q4 payments review: 1 identity of yours still to review");
      expect(await messagesTo("bob@example.com", campaignId, "campaign.nudged")).toHaveLength(0);
      expect(await messagesTo("backup@example.com", campaignId, "campaign.nudged")).toHaveLength(0);
      expect(await messagesTo("lead2@example.com", campaignId, "campaign.nudged")).toHaveLength(1);
      const [event] = await prisma.auditEvent.findMany({ where: { seq: { gt: BigInt(auditBefore) } } });
      expect(event).toMatchObject({
        action: "campaign.nudged",
        targetId: campaignId,
        data: { overdueReviews: 2, recipients: 2, notified: 3 },
      });
      expect((await findCampaign(prisma, campaignId)).lastNudgedAt).not.toBeNull();

      const messages = await prisma.notificationMessage.count();
      const again = await refused(executeMutation(nudgeCampaign, lead.actor, { campaignId }));
      expect(again.status).toBe(409);
      expect(again.message).toMatch(/next nudge is possible from/);
      expect(await prisma.notificationMessage.count()).toBe(messages);
    });

    it("closes: open reviews stay open and owed, the campaign's numbers stay as they were at closing", async () => {
      const members = await refused(executeMutation(closeCampaign, member.actor, { campaignId }));
      expect(members.status).toBe(403);
      const closed = await executeMutation(closeCampaign, otherLead.actor, { campaignId });
      expect(closed).toMatchObject({ status: "CLOSED", closedById: otherLead.user.id, progress: { attested: 1, overdue: 2, pending: 2 } });
      expect(await prisma.review.count({ where: { campaignId, status: "OPEN" } })).toBe(4);
      const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "campaign.closed", targetId: campaignId } });
      expect(event.data).toMatchObject({ progress: { total: 5, attested: 1 } });

      // Bob attests after the close: his review is done, the campaign's figures are not rewritten.
      await executeMutation(attestReview, ownerB.actor, attestation((await openReviewOf(ids["bob-agent"]!)).id));
      const campaign = await findCampaign(prisma, campaignId);
      expect(await campaignProgress(prisma, campaign)).toMatchObject({ attested: 1, pending: 2, overdue: 2 });

      expect((await refused(executeMutation(closeCampaign, lead.actor, { campaignId }))).status).toBe(409);
      expect((await refused(executeMutation(nudgeCampaign, lead.actor, { campaignId }))).message).toMatch(/is closed/);
    });

    it("reports every review as CSV and the campaign's audit events; downloads are audited, events only for audit readers", async () => {
      const campaign = await findCampaign(prisma, campaignId);
      const csv = await campaignReportCsv(prisma, campaign);
      const lines = csv.trimEnd().split("\r\n");
      expect(lines[0]).toBe(
        "identity,environment,owner,ownerEmail,team,status,outcome,attestedBy,attestedAt,dueAt,trigger,identityId,reviewId",
      );
      expect(lines).toHaveLength(6);
      const annLine = lines.find((line) => line.startsWith("ann-agent,"))!;
      expect(annLine).toMatch(/^ann-agent,DEV,ann,ann@example\.com,Payments,ATTESTED,KEEP,ann,\d{4}-\d\d-\d\dT[\d:.]+Z,/);
      // Attested after the close: the report keeps it as it stood at closing.
      expect(lines.find((line) => line.startsWith("bob-agent,"))).toMatch(/^bob-agent,DEV,bob,bob@example\.com,Payments,PENDING,,,,/);
      expect(lines.find((line) => line.startsWith("ann-joins,"))).toMatch(/,OVERDUE,,,,.*,MANUAL,/);

      const events = await campaignEventsCsv(prisma, campaignId);
      expect(events.split("\r\n")[0]).toBe("seq,occurredAt,action,actor,actorType,data,hash");
      expect([...events.matchAll(/,(campaign\.\w+),/g)].map((match) => match[1])).toEqual([
        "campaign.started",
        "campaign.nudged",
        "campaign.closed",
      ]);

      const response = await downloadCampaignReport(prisma, member.actor, campaignId, "reviews");
      expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(await response.text()).toBe(csv);
      const download = await prisma.auditEvent.findFirstOrThrow({ where: { action: "campaign.report_downloaded", targetId: campaignId } });
      expect(download).toMatchObject({ actorId: member.user.id, data: { part: "reviews" } });
      expect((await refused(downloadCampaignReport(prisma, member.actor, campaignId, "events"))).status).toBe(403);
      expect(await (await downloadCampaignReport(prisma, auditor.actor, campaignId, "events")).text()).toContain(
        "campaign.report_downloaded",
      );
    });
  });
});
