import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { executeMutation } from "@/lib/auth/mutation";
import { decideApprovalRequest } from "@/lib/approvals/decide";
import { SentForApproval } from "@/lib/approvals/request";
import { prisma } from "@/lib/db/client";
import { createActiveTestIdentity, createTestUser, refused } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";
import type { ScanReport } from "@/lib/validation/discovery";
import { dismissFinding, linkFinding, registerFinding, reopenFinding } from "./decide";
import { submitScan } from "./ingest";
import { moveRepository } from "./repositories";
import { findFindingsPage, findingDetail, footprintsOf, openFindingCount, parseFindingListParams } from "./queries";

// The Discovered feature against a real database, through executeMutation as
// the pages, the API and the CLI call it: scans submitted and submitted again,
// findings registered (at once, or through an approval), linked and dismissed,
// a later scan that sees more reach than the identity was granted, and who
// sees which repository's findings.

type Person = { user: { id: string; email: string }; actor: Actor };
let lead: Person;
let secondLead: Person;
let owner: Person;
let otherTeamOwner: Person;
let auditor: Person;
let counter = 0;
const unique = (prefix: string) => `${prefix}-${(counter += 1)}`;

type Finding = ScanReport["findings"][number];

function agentFinding(permissions: ("READ" | "WRITE")[] = ["READ"]): Finding {
  return {
    detector: "agent-settings",
    severity: "MEDIUM",
    tool: "Claude Code",
    subject: ".claude/settings.json",
    title: "Claude Code settings allow Edit",
    file: ".claude/settings.json",
    line: 2,
    snippet: '"permissions": { "allow": ["Edit"] }',
    proposal: {
      kind: "CODING_AGENT",
      name: "claude-code",
      vendor: "Anthropic",
      product: "Claude Code",
      autonomy: "SUGGEST",
      permissions,
      capabilities: [],
    },
    details: { allow: ["Edit"] },
  };
}

function ciFinding(): Finding {
  return {
    detector: "ci-workflow",
    severity: "HIGH",
    tool: "Claude Code GitHub Action",
    subject: "jobs.review",
    title: "claude-code-action with contents: write",
    file: ".github/workflows/review.yml",
    line: 12,
    snippet: "permissions:\n  contents: write\n  id-token: write",
    proposal: {
      kind: "CI_BOT",
      name: "claude-code-action",
      vendor: "Anthropic",
      product: "Claude Code GitHub Action",
      autonomy: "SUGGEST",
      permissions: ["READ", "WRITE"],
      capabilities: ["can mint cloud credentials (id-token: write)"],
    },
    details: { permissions: { contents: "write", "id-token": "write" } },
  };
}

function secretFinding(): Finding {
  return {
    detector: "secret",
    severity: "HIGH",
    tool: "AWS",
    subject: "AWS access key sha256:0001",
    title: "AWS access key in deploy.env",
    file: "deploy.env",
    line: 3,
    snippet: "AWS_ACCESS_KEY_ID=[redacted: AWS access key]",
    proposal: null,
    details: { secretKind: "AWS access key" },
  };
}

function report(repository: string, findings: Finding[], team = "Payments"): ScanReport {
  return {
    scanner: { name: "warrant-scan", version: "0.1.0" },
    repository,
    environment: "DEV",
    team,
    startedAt: new Date().toISOString(),
    durationMs: 10,
    filesSeen: 20,
    filesRead: 3,
    findings,
  };
}

const submit = (body: ScanReport, by: Person = lead) => executeMutation(submitScan, by.actor, body);

async function findingsOf(repository: string) {
  return prisma.discoveryFinding.findMany({ where: { repository: { name: repository } }, orderBy: { file: "asc" } });
}

async function findingAt(repository: string, file: string) {
  return prisma.discoveryFinding.findFirstOrThrow({ where: { repository: { name: repository }, file } });
}

function registration(findingId: string, by: Person, extra: Record<string, unknown> = {}) {
  return {
    findingId,
    name: unique("found-agent"),
    purpose: "Found by a scan",
    kind: "CODING_AGENT",
    autonomy: "SUGGEST",
    ownerId: by.user.id,
    expiresAt: new Date(Date.now() + 90 * DAY_MS).toISOString(),
    permissions: ["READ"],
    ...extra,
  };
}

async function sentForApproval(run: Promise<unknown>) {
  try {
    await run;
  } catch (error) {
    if (error instanceof SentForApproval) return prisma.approvalRequest.findUniqueOrThrow({ where: { id: error.request.id } });
    throw error;
  }
  throw new Error("the change was applied instead of being sent for approval");
}

const openView = (actor: Actor, params: Record<string, string> = {}) =>
  findFindingsPage(prisma, actor, parseFindingListParams(params).query);

beforeAll(async () => {
  const payments = await prisma.team.create({ data: { name: "Payments" } });
  const web = await prisma.team.create({ data: { name: "Web" } });
  lead = await createTestUser(["SECURITY_LEAD"]);
  secondLead = await createTestUser(["SECURITY_LEAD"]);
  auditor = await createTestUser(["AUDITOR"]);
  owner = await createTestUser();
  otherTeamOwner = await createTestUser();
  await prisma.user.update({ where: { id: owner.user.id }, data: { teamId: payments.id } });
  await prisma.user.update({ where: { id: otherTeamOwner.user.id }, data: { teamId: web.id } });
});

describe("submitting scans", () => {
  it("adds each footprint once: the same report twice changes nothing but the times, and both scans are recorded", async () => {
    const repository = unique("acme/api");
    const body = report(repository, [agentFinding(), ciFinding(), secretFinding()]);
    const first = await submit(body);
    expect(first.counts).toEqual({ total: 3, new: 3, seenAgain: 0, gone: 0, flagged: 0 });
    expect(first.link).toBe(`/discovered?repository=${encodeURIComponent(repository)}&environment=DEV`);
    const queue = await openView(lead.actor, { repository });
    expect(queue.total).toBe(3);
    // Most severe first, by default.
    expect(queue.data.map((row) => row.severity)).toEqual(["HIGH", "HIGH", "MEDIUM"]);

    const again = await submit(body);
    expect(again.counts).toEqual({ total: 3, new: 0, seenAgain: 3, gone: 0, flagged: 0 });
    expect(await findingsOf(repository)).toHaveLength(3);
    expect(await prisma.discoveryRepository.count({ where: { name: repository } })).toBe(1);
    expect(await prisma.discoveryScan.count({ where: { repository: { name: repository } } })).toBe(2);
    const audits = await prisma.auditEvent.findMany({
      where: { action: "discovery.scan_submitted", data: { path: ["repository"], equals: repository } },
    });
    expect(audits).toHaveLength(2);
    // The repository became a System (kind REPOSITORY) that registered identities are granted access on.
    expect(await prisma.system.findUnique({ where: { name_environment: { name: repository, environment: "DEV" } } })).toMatchObject({
      kind: "REPOSITORY",
    });
  });

  it("marks a footprint a rescan no longer finds as gone, and opens it again when a later scan sees it", async () => {
    const repository = unique("acme/gone");
    await submit(report(repository, [agentFinding(), ciFinding()]));
    const without = await submit(report(repository, [agentFinding()]));
    expect(without.counts).toMatchObject({ new: 0, seenAgain: 1, gone: 1 });
    const ci = await findingAt(repository, ".github/workflows/review.yml");
    expect(ci.goneAt).not.toBeNull();
    expect((await openView(lead.actor, { repository })).data.map((row) => row.file)).toEqual([".claude/settings.json"]);
    expect((await openView(lead.actor, { repository, view: "gone" })).data.map((row) => row.id)).toEqual([ci.id]);
    // A gone footprint cannot be registered, only dismissed.
    const gone = await refused(executeMutation(registerFinding, lead.actor, registration(ci.id, lead)));
    expect(gone.code).toBe("conflict");

    const back = await submit(report(repository, [agentFinding(), ciFinding()]));
    expect(back.counts).toMatchObject({ new: 0, seenAgain: 2, gone: 0 });
    expect((await findingAt(repository, ".github/workflows/review.yml")).goneAt).toBeNull();
    expect((await openView(lead.actor, { repository })).total).toBe(2);
  });

  it("refuses a report that names the same footprint twice (422 naming findings.N.subject), and changes nothing", async () => {
    const repository = unique("acme/twice");
    const error = await refused(submit(report(repository, [agentFinding(), ciFinding(), agentFinding()])));
    expect(error.code).toBe("validation_failed");
    expect(Object.keys(error.fields ?? {})).toEqual(["findings.2.subject"]);
    expect(error.fields?.["findings.2.subject"]).toMatch(/repeats finding 0/);
    expect(await prisma.discoveryRepository.count({ where: { name: repository } })).toBe(0);
  });

  it("refuses a report with a raw secret in a snippet (422) and stores nothing of it", async () => {
    const repository = unique("acme/leak");
    const leaking = { ...secretFinding(), snippet: "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLQ" };
    const before = await prisma.auditEvent.count();
    const error = await refused(submit(report(repository, [leaking])));
    expect(error.code).toBe("validation_failed");
    expect(error.fields?.["findings.0.snippet"]).toMatch(/AWS access key/);
    expect(await prisma.discoveryRepository.count({ where: { name: repository } })).toBe(0);
    expect(await prisma.discoveryFinding.count({ where: { snippet: { contains: "AKIAIOSFODNN7EXAMPLQ" } } })).toBe(0);
    expect(await prisma.auditEvent.count()).toBe(before);
  });

  it("takes two submissions of the same report for a new repository at once, without duplicates", async () => {
    const repository = unique("acme/race");
    const body = report(repository, [agentFinding(), ciFinding()]);
    const results = await Promise.all([submit(body), submit(body)]);
    expect(results.map((result) => result.counts.new).sort()).toEqual([0, 2]);
    expect(await prisma.discoveryRepository.count({ where: { name: repository } })).toBe(1);
    expect(await findingsOf(repository)).toHaveLength(2);
    expect(await prisma.discoveryScan.count({ where: { repository: { name: repository } } })).toBe(2);
  });
});

describe("deciding findings", () => {
  it("registers a footprint as a PROPOSED identity with the chosen grants on the repository, audited, and lists it as a footprint", async () => {
    const repository = unique("acme/register");
    await submit(report(repository, [agentFinding()]));
    const finding = await findingAt(repository, ".claude/settings.json");
    const input = registration(finding.id, owner);
    const result = await executeMutation(registerFinding, owner.actor, input);

    const identity = await prisma.aiIdentity.findUniqueOrThrow({
      where: { id: result.identity.id },
      include: { grants: { include: { system: true } } },
    });
    expect(identity).toMatchObject({ name: input.name, status: "PROPOSED", environment: "DEV", ownerId: owner.user.id });
    expect(identity.grants.map((grant) => [grant.permission, grant.system.name, grant.system.kind])).toEqual([
      ["READ", repository, "REPOSITORY"],
    ]);
    expect(await prisma.discoveryFinding.findUniqueOrThrow({ where: { id: finding.id } })).toMatchObject({
      status: "REGISTERED",
      identityId: identity.id,
      broaderPermissions: [],
      decidedBy: owner.user.email,
    });
    const actions = (await prisma.auditEvent.findMany({ where: { targetId: identity.id }, orderBy: { seq: "asc" } })).map(
      (event) => event.action,
    );
    expect(actions).toEqual(expect.arrayContaining(["identity.created", "grant.created", "discovery.finding_registered"]));
    expect((await footprintsOf(prisma, identity.id)).map((footprint) => footprint.id)).toEqual([finding.id]);
    // Decided: it leaves the queue, and shows under Registered.
    expect((await openView(owner.actor, { repository })).total).toBe(0);
    expect((await openView(owner.actor, { repository, view: "registered" })).total).toBe(1);
    // Deciding twice is a conflict.
    expect((await refused(executeMutation(registerFinding, owner.actor, registration(finding.id, owner)))).code).toBe("conflict");
  });

  it("sends a sensitive registration (a WRITE grant) for approval, creating nothing until it is approved", async () => {
    const repository = unique("acme/approve");
    await submit(report(repository, [ciFinding()]));
    const finding = await findingAt(repository, ".github/workflows/review.yml");
    const input = registration(finding.id, owner, { kind: "CI_BOT", permissions: ["READ", "WRITE"], justification: "Reviews PRs" });
    const request = await sentForApproval(executeMutation(registerFinding, owner.actor, input));
    expect(request).toMatchObject({ mutation: "discovery.register-finding", catalogKey: "grant.sensitive", status: "PENDING" });
    expect(request.reason).toContain("WRITE is a privileged permission");
    expect(await prisma.aiIdentity.count({ where: { name: input.name } })).toBe(0);
    expect(await prisma.discoveryFinding.findUniqueOrThrow({ where: { id: finding.id } })).toMatchObject({ status: "OPEN" });
    expect((await findingDetail(prisma, owner.actor, finding.id)).pendingRequest?.id).toBe(request.id);
    // The queue says so too.
    expect((await openView(owner.actor, { repository })).data).toEqual([
      expect.objectContaining({ id: finding.id, pendingRequestId: request.id }),
    ]);
    // While it waits, neither another request (other fields, so not an identical one) nor a READ-only registration applied at once.
    for (const permissions of [["READ", "WRITE", "DEPLOY"], ["READ"]]) {
      const second = await refused(executeMutation(registerFinding, owner.actor, { ...input, name: `${input.name}-2`, permissions }));
      expect(second.message).toContain(`already waits for approval (request ${request.id})`);
    }
    const pending = {
      mutation: "discovery.register-finding",
      status: "PENDING" as const,
      input: { path: ["findingId"], equals: finding.id },
    };
    expect(await prisma.approvalRequest.count({ where: pending })).toBe(1);

    let decided = await executeMutation(decideApprovalRequest, lead.actor, { requestId: request.id, verdict: "APPROVE" });
    if ((decided as { status: string }).status === "PENDING") {
      decided = await executeMutation(decideApprovalRequest, secondLead.actor, { requestId: request.id, verdict: "APPROVE" });
    }
    expect(decided).toMatchObject({ status: "APPLIED" });
    const identity = await prisma.aiIdentity.findFirstOrThrow({ where: { name: input.name }, include: { grants: true } });
    expect(identity.status).toBe("PROPOSED");
    expect(identity.grants.map((grant) => grant.permission).sort()).toEqual(["READ", "WRITE"]);
    expect(await prisma.discoveryFinding.findUniqueOrThrow({ where: { id: finding.id } })).toMatchObject({
      status: "REGISTERED",
      identityId: identity.id,
    });
    expect((await findingDetail(prisma, owner.actor, finding.id)).pendingRequest).toBeNull();
  });

  it("links a finding only to an identity the person manages", async () => {
    const repository = unique("acme/link");
    await submit(report(repository, [agentFinding(["READ", "WRITE"])]));
    const finding = await findingAt(repository, ".claude/settings.json");
    const someoneElses = await createActiveTestIdentity(otherTeamOwner.user.id, { environment: "DEV" });
    const forbidden = await refused(executeMutation(linkFinding, owner.actor, { findingId: finding.id, identityId: someoneElses.id }));
    expect(forbidden.code).toBe("forbidden");
    expect(await prisma.discoveryFinding.findUniqueOrThrow({ where: { id: finding.id } })).toMatchObject({ status: "OPEN" });

    const mine = await createActiveTestIdentity(owner.user.id, { environment: "DEV" });
    const linked = await executeMutation(linkFinding, owner.actor, { findingId: finding.id, identityId: mine.id });
    // The identity has no grant on the repository, so the footprint reaches beyond its grants.
    expect(linked).toMatchObject({ identityId: mine.id, beyondGrants: ["READ", "WRITE"] });
    expect(await prisma.discoveryFinding.findUniqueOrThrow({ where: { id: finding.id } })).toMatchObject({
      status: "LINKED",
      identityId: mine.id,
    });
    expect(await prisma.auditEvent.count({ where: { action: "discovery.finding_linked", targetId: mine.id } })).toBe(1);
  });

  it("lets only security leads and admins dismiss (with a reason) and reopen", async () => {
    const repository = unique("acme/dismiss");
    await submit(report(repository, [secretFinding()]));
    const finding = await findingAt(repository, "deploy.env");
    const byOwner = await refused(executeMutation(dismissFinding, owner.actor, { findingId: finding.id, reason: "Rotated" }));
    expect(byOwner.code).toBe("forbidden");
    const noReason = await refused(executeMutation(dismissFinding, lead.actor, { findingId: finding.id, reason: "" }));
    expect(noReason.code).toBe("validation_failed");
    expect(Object.keys(noReason.fields ?? {})).toEqual(["reason"]);

    await executeMutation(dismissFinding, lead.actor, { findingId: finding.id, reason: "Example key from the AWS docs" });
    expect(await prisma.discoveryFinding.findUniqueOrThrow({ where: { id: finding.id } })).toMatchObject({
      status: "DISMISSED",
      dismissReason: "Example key from the AWS docs",
      decidedBy: lead.user.email,
    });
    expect((await openView(lead.actor, { repository })).total).toBe(0);
    expect((await openView(lead.actor, { repository, view: "dismissed" })).total).toBe(1);
    // A rescan keeps the decision.
    await submit(report(repository, [secretFinding()]));
    expect((await prisma.discoveryFinding.findUniqueOrThrow({ where: { id: finding.id } })).status).toBe("DISMISSED");

    expect((await refused(executeMutation(reopenFinding, owner.actor, { findingId: finding.id }))).code).toBe("forbidden");
    await executeMutation(reopenFinding, lead.actor, { findingId: finding.id });
    expect(await prisma.discoveryFinding.findUniqueOrThrow({ where: { id: finding.id } })).toMatchObject({
      status: "OPEN",
      dismissReason: null,
    });
  });

  it("flags at registration what the footprint implies beyond the grants chosen", async () => {
    const repository = unique("acme/less");
    await submit(report(repository, [agentFinding(["READ", "WRITE"])]));
    const finding = await findingAt(repository, ".claude/settings.json");
    await executeMutation(registerFinding, owner.actor, registration(finding.id, owner, { permissions: ["READ"] }));
    const registered = await prisma.discoveryFinding.findUniqueOrThrow({ where: { id: finding.id } });
    expect(registered.broaderPermissions).toEqual(["WRITE"]);
    expect(registered.flaggedAt).not.toBeNull();
  });

  it("flags a later scan that implies more than the identity's grants, and opens one CHANGE review for it", async () => {
    const repository = unique("acme/reach");
    await submit(report(repository, [agentFinding(["READ"])]));
    const finding = await findingAt(repository, ".claude/settings.json");
    const { identity } = await executeMutation(registerFinding, owner.actor, registration(finding.id, owner));
    expect(await prisma.review.count({ where: { identityId: identity.id, status: "OPEN" } })).toBe(0);

    const wider = await submit(report(repository, [agentFinding(["READ", "WRITE"])]));
    expect(wider.counts.flagged).toBe(1);
    const flagged = await prisma.discoveryFinding.findUniqueOrThrow({ where: { id: finding.id } });
    expect(flagged.broaderPermissions).toEqual(["WRITE"]);
    expect(flagged.flaggedAt).not.toBeNull();
    const reviews = await prisma.review.findMany({ where: { identityId: identity.id, status: "OPEN" } });
    expect(reviews).toEqual([expect.objectContaining({ trigger: "CHANGE" })]);
    expect(await prisma.auditEvent.count({ where: { action: "discovery.reach_flagged", targetId: identity.id } })).toBe(1);
    expect((await footprintsOf(prisma, identity.id))[0]?.beyondGrants).toEqual(["WRITE"]);

    // The same scan again: still flagged, nothing new opened or audited.
    const same = await submit(report(repository, [agentFinding(["READ", "WRITE"])]));
    expect(same.counts.flagged).toBe(0);
    expect(await prisma.review.count({ where: { identityId: identity.id } })).toBe(1);
    expect(await prisma.auditEvent.count({ where: { action: "discovery.reach_flagged", targetId: identity.id } })).toBe(1);
  });
});

describe("who sees which findings", () => {
  it("shows owners their team's repositories only, and answers not found for another team's finding", async () => {
    const payments = unique("acme/payments");
    const web = unique("acme/web");
    await submit(report(payments, [agentFinding()], "Payments"));
    await submit(report(web, [agentFinding()], "Web"));
    const webFinding = await findingAt(web, ".claude/settings.json");

    const ownerView = await openView(owner.actor, { view: "all" });
    const repositories = new Set(ownerView.data.map((row) => row.repository));
    expect(repositories.has(payments)).toBe(true);
    expect(repositories.has(web)).toBe(false);
    expect((await refused(findingDetail(prisma, owner.actor, webFinding.id))).code).toBe("not_found");
    expect((await refused(executeMutation(registerFinding, owner.actor, registration(webFinding.id, owner)))).code).toBe("not_found");

    expect((await findingDetail(prisma, otherTeamOwner.actor, webFinding.id)).id).toBe(webFinding.id);
    // Security leads and auditors see every repository's.
    for (const person of [lead, auditor]) {
      const all = new Set((await openView(person.actor, { view: "all" })).data.map((row) => row.repository));
      expect(all.has(payments) && all.has(web), person.user.email).toBe(true);
    }
    expect(await openFindingCount(prisma, lead.actor)).toBeGreaterThan(await openFindingCount(prisma, otherTeamOwner.actor));

    // Only a security lead or admin moves a repository to another team: anyone else's scan that tries is refused whole.
    const moved = await refused(submit(report(web, [agentFinding(), ciFinding()], "Payments"), otherTeamOwner));
    expect(moved.code).toBe("forbidden");
    expect(moved.fields).toEqual({ team: "must be Web, the repository's team, or left out" });
    expect(await findingsOf(web)).toHaveLength(1);
    // Naming its own team, or none, is fine; a lead may move it.
    expect((await submit(report(web, [agentFinding()], "Web"), otherTeamOwner)).counts.seenAgain).toBe(1);
    await submit(report(web, [agentFinding()], "Payments"), lead);
    expect((await findingDetail(prisma, owner.actor, webFinding.id)).id).toBe(webFinding.id);
  });

  it("lets a security lead move a repository to another team, and with it who sees its findings", async () => {
    const web = unique("acme/web");
    await submit(report(web, [agentFinding()], "Web"));
    const finding = await findingAt(web, ".claude/settings.json");
    const repositoryId = finding.repositoryId;
    const payments = await prisma.team.findUniqueOrThrow({ where: { name: "Payments" } });
    const webTeam = await prisma.team.findUniqueOrThrow({ where: { name: "Web" } });
    const detail = await findingDetail(prisma, lead.actor, finding.id);
    expect([detail.repositoryId, detail.team]).toEqual([repositoryId, { id: webTeam.id, name: "Web" }]);

    // Anyone else may not, not even the team's own members; bad input names its field. None of it changes anything.
    const byMember = await refused(executeMutation(moveRepository, otherTeamOwner.actor, { repositoryId, teamId: payments.id }));
    expect(byMember.code).toBe("forbidden");
    expect((await refused(executeMutation(moveRepository, lead.actor, { repositoryId, teamId: "no-such-team" }))).fields).toEqual({
      teamId: "must be an existing team",
    });
    const same = await refused(executeMutation(moveRepository, lead.actor, { repositoryId, teamId: webTeam.id }));
    expect([same.code, same.fields]).toEqual(["conflict", { teamId: "is already the repository's team" }]);
    expect((await refused(executeMutation(moveRepository, lead.actor, { repositoryId: "nope", teamId: payments.id }))).code).toBe(
      "not_found",
    );
    expect((await findingDetail(prisma, otherTeamOwner.actor, finding.id)).team?.name).toBe("Web");
    expect(await prisma.auditEvent.count({ where: { action: "discovery.repository_moved", targetId: repositoryId } })).toBe(0);

    const moved = await executeMutation(moveRepository, lead.actor, {
      repositoryId,
      teamId: payments.id,
      reason: "Payments took the web app over",
    });
    expect(moved).toEqual({ repositoryId, repository: web, environment: "DEV", team: { id: payments.id, name: "Payments" } });
    expect((await refused(findingDetail(prisma, otherTeamOwner.actor, finding.id))).code).toBe("not_found");
    expect((await findingDetail(prisma, owner.actor, finding.id)).team?.name).toBe("Payments");
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "discovery.repository_moved", targetId: repositoryId } });
    expect([event.actorId, event.data]).toEqual([
      lead.user.id,
      { repository: web, environment: "DEV", fromTeam: "Web", toTeam: "Payments", reason: "Payments took the web app over" },
    ]);

    // A later scan that names no team keeps the move; the old team's member may not name theirs back.
    await submit({ ...report(web, [agentFinding()]), team: undefined }, owner);
    expect((await findingDetail(prisma, owner.actor, finding.id)).team?.name).toBe("Payments");
    expect((await refused(submit(report(web, [agentFinding()], "Web"), otherTeamOwner))).code).toBe("forbidden");
    // A security lead's scan that names another team moves it too, and says so in the same words.
    await submit(report(web, [agentFinding()], "Web"), lead);
    expect((await findingDetail(prisma, otherTeamOwner.actor, finding.id)).team?.name).toBe("Web");
    const moves = await prisma.auditEvent.findMany({
      where: { action: "discovery.repository_moved", targetId: repositoryId },
      orderBy: { seq: "asc" },
    });
    expect(moves.map((move) => move.data)).toEqual([
      expect.objectContaining({ fromTeam: "Web", toTeam: "Payments" }),
      { repository: web, environment: "DEV", fromTeam: "Payments", toTeam: "Web", by: "scan" },
    ]);
  });

  it("names and ignores queue parameters that do not parse", () => {
    const { query, refused: bad } = parseFindingListParams({ view: "nope", severity: "HIGH", page: "0" });
    expect(Object.keys(bad).sort()).toEqual(["page", "view"]);
    expect(query).toMatchObject({ view: "open", severity: "HIGH", page: 1 });
  });
});
