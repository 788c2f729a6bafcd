import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { IdentityStatus } from "@/lib/db/generated/enums";
import { AppError } from "@/lib/errors";
import { createTestToken, createTestUser, systemActor, switchOffApprovals } from "@/lib/testing/factories";
import { createCredential } from "./credentials";
import { createGrant, revokeGrant } from "./grants";
import { createIdentity, reactivateIdentity, retireIdentity, activateIdentity, suspendIdentity, updateIdentity } from "./identities";
import { identityPermissions, listOwnerCandidates, loadIdentityDetail, type StatusChange } from "./identity-detail";
import { findIdentitiesAfter, parseInventoryQuery } from "./query";
import { createSystem } from "./systems";
import { listSystemsWithReach } from "./systems-overview";
import { summarizeEvent } from "./timeline";
import { toInventoryTableRow } from "./view";
import { DAY_MS } from "@/lib/time";

const inDays = (days: number) => new Date(Date.now() + days * DAY_MS);

let olivia: { user: { id: string }; actor: Actor };
let omar: { user: { id: string }; actor: Actor };
let sam: { user: { id: string }; actor: Actor };
let auditor: { user: { id: string }; actor: Actor };
let bystander: { user: { id: string }; actor: Actor };
let k8s: { id: string };
let repo: { id: string };
let identityId: string;
let teamId: string;

async function named(email: string, name: string, roles: ("SECURITY_LEAD" | "AUDITOR")[] = []) {
  const created = await createTestUser(roles, { email });
  await prisma.user.update({ where: { id: created.user.id }, data: { name } });
  return created;
}

beforeAll(async () => {
  // What these changes do, not who approves them: lib/approvals/approvals.test.ts covers that.
  await switchOffApprovals();
  olivia = await named("olivia@example.com", "Olivia Owner");
  omar = await named("omar@example.com", "Omar Owner");
  sam = await named("sam@example.com", "Sam Lead", ["SECURITY_LEAD"]);
  auditor = await named("audrey@example.com", "Audrey Auditor", ["AUDITOR"]);
  bystander = await named("bea@example.com", "Bea Bystander");
  teamId = (await prisma.team.create({ data: { name: "Payments" } })).id;
  k8s = await executeMutation(createSystem, systemActor, {
    name: "k8s-prod",
    kind: "DEPLOY_TARGET",
    environment: "PROD",
    sensitivity: "RESTRICTED",
  });
  repo = await executeMutation(createSystem, systemActor, {
    name: "github.com/acme/web",
    kind: "REPOSITORY",
    environment: "DEV",
    sensitivity: "INTERNAL",
  });

  const identity = await executeMutation(createIdentity, olivia.actor, {
    name: "release-agent",
    kind: "CODING_AGENT",
    vendor: "Anthropic",
    product: "Claude Code",
    purpose: "Prepares release branches",
    environment: "PROD",
    autonomy: "SUGGEST",
    ownerId: olivia.user.id,
    backupOwnerId: omar.user.id,
    teamId,
    expiresAt: inDays(60).toISOString(),
  });
  identityId = identity.id;
  await executeMutation(createGrant, olivia.actor, { identityId, systemId: k8s.id, permission: "DEPLOY" });
  const read = await executeMutation(createGrant, olivia.actor, { identityId, systemId: repo.id, permission: "READ" });
  await executeMutation(revokeGrant, olivia.actor, { grantId: read.id });
  await executeMutation(createCredential, olivia.actor, {
    identityId,
    type: "PAT",
    label: "release PAT",
    fingerprint: "SHA256:abcd",
    issuedAt: inDays(-10).toISOString(),
    rotationPeriodDays: 30,
    vaultPath: "secret/agents/release",
  });
  await executeMutation(updateIdentity, sam.actor, { identityId, ownerId: omar.user.id, backupOwnerId: olivia.user.id });
  await executeMutation(suspendIdentity, sam.actor, { identityId, reason: "checking a deploy" });

  // Someone else's identity, whose events must not appear on this one's page.
  await executeMutation(createIdentity, omar.actor, {
    name: "other-agent",
    kind: "CI_BOT",
    purpose: "Something else",
    environment: "DEV",
    ownerId: omar.user.id,
    expiresAt: inDays(30).toISOString(),
  });
});

describe("loadIdentityDetail", () => {
  it("returns null for an id that does not exist", async () => {
    expect(await loadIdentityDetail(prisma, "no-such-identity")).toBeNull();
  });

  it("has the facts, the people with names and emails, and the stored risk with its reasons", async () => {
    const detail = (await loadIdentityDetail(prisma, identityId))!;
    expect(detail).toMatchObject({
      name: "release-agent",
      kind: "CODING_AGENT",
      vendor: "Anthropic",
      product: "Claude Code",
      environment: "PROD",
      autonomy: "SUGGEST",
      status: "SUSPENDED",
      owner: { name: "Omar Owner", email: "omar@example.com", active: true },
      backupOwner: { name: "Olivia Owner", email: "olivia@example.com" },
      team: { name: "Payments" },
      orphanedAt: null,
      reviewOverdue: false,
      expired: false,
      riskTier: "CRITICAL",
    });
    // The owner changed after the PAT was recorded, so it is flagged for rotation (lib/reviews/change.ts).
    expect(detail.riskReasons).toEqual([
      "deploy on k8s-prod (production, restricted)",
      "1 credential flagged for rotation after a change (owner changed)",
      "long-lived PAT 10 days old, no expiry",
    ]);
  });

  it("lists grants with their system and whether each is still live, and credentials with their age", async () => {
    const detail = (await loadIdentityDetail(prisma, identityId))!;
    const grants = detail.grants.map((grant) => ({
      system: grant.system.name,
      sensitivity: grant.system.sensitivity,
      permission: grant.permission,
      live: grant.live,
      revoked: grant.revokedAt !== null,
    }));
    expect(grants).toEqual(
      expect.arrayContaining([
        { system: "k8s-prod", sensitivity: "RESTRICTED", permission: "DEPLOY", live: true, revoked: false },
        { system: "github.com/acme/web", sensitivity: "INTERNAL", permission: "READ", live: false, revoked: true },
      ]),
    );
    expect(grants).toHaveLength(2);
    expect(detail.credentials).toHaveLength(1);
    expect(detail.credentials[0]).toMatchObject({
      label: "release PAT",
      fingerprint: "SHA256:abcd",
      ageDays: 10,
      rotationPeriodDays: 30,
      vaultPath: "secret/agents/release",
      status: "ACTIVE",
    });
  });

  it("tells overdue reviews and passed expiries from the moment it is asked about", async () => {
    const later = (await loadIdentityDetail(prisma, identityId, inDays(100)))!;
    expect(later.reviewOverdue).toBe(true);
    expect(later.expired).toBe(true);
    expect(later.credentials[0]!.ageDays).toBe(110);
  });

  it('agrees with the inventory\'s "review overdue" filter and table for a retired identity whose review date has passed', async () => {
    const retired = await executeMutation(createIdentity, olivia.actor, {
      name: "retired-overdue-agent",
      kind: "CODING_AGENT",
      purpose: "Was replaced",
      environment: "DEV",
      ownerId: olivia.user.id,
      expiresAt: inDays(60).toISOString(),
    });
    await executeMutation(retireIdentity, olivia.actor, { identityId: retired.id, reason: "replaced" });
    const later = inDays(100);
    const page = (await loadIdentityDetail(prisma, retired.id, later))!;
    const listed = await findIdentitiesAfter(
      prisma,
      parseInventoryQuery({ reviewOverdue: "1", q: "retired-overdue-agent" }),
      undefined,
      10,
      later,
    );
    const row = (await findIdentitiesAfter(prisma, parseInventoryQuery({ q: "retired-overdue-agent" }), undefined, 10, later)).rows[0]!;
    expect(listed.rows.map((found) => found.id)).toEqual([]);
    expect(toInventoryTableRow(row, later).reviewOverdue).toBe(false);
    expect(page.reviewOverdue).toBe(false);
  });

  it("builds the timeline from this identity's audit events only, newest first, in sentences with people's names", async () => {
    const detail = (await loadIdentityDetail(prisma, identityId))!;
    expect(detail.timeline.map((event) => event.action)).toEqual([
      "identity.suspended",
      // The new owner's handover joins the review the deploy grant opened (lib/reviews/change.ts).
      "review.change_added",
      "identity.owner_reassigned",
      "credential.created",
      "grant.revoked",
      "grant.created",
      "review.opened",
      "grant.created",
      "identity.created",
    ]);
    const seqs = detail.timeline.map((event) => BigInt(event.seq));
    expect([...seqs].sort((a, b) => (a < b ? 1 : -1))).toEqual(seqs);
    const [suspended, joined, reassigned, credential, revoked, , opened, deploy, created] = detail.timeline;
    expect(opened!.summary).toMatch(
      /^Review opened by a change, due \d{4}-\d{2}-\d{2}\. Reason: Re-review after a change: deploy on k8s-prod \(prod\) granted$/,
    );
    expect(joined!.summary).toMatch(/^A change joined the open review, due \d{4}-\d{2}-\d{2}; 1 credential flagged for rotation$/);
    expect(suspended).toMatchObject({
      actorLabel: "sam@example.com",
      actorType: "user",
      summary: "Status active → suspended. Reason: checking a deploy",
    });
    expect(reassigned!.summary).toBe(
      "Owner reassigned from Olivia Owner <olivia@example.com> to Omar Owner <omar@example.com>; also changed backup owner → Olivia Owner <olivia@example.com>; risk now Critical",
    );
    expect(credential!.summary).toBe("Recorded Personal access token “release PAT” (fingerprint SHA256:abcd); risk now Critical");
    expect(revoked!.summary).toBe("Revoked read on github.com/acme/web; risk now Critical");
    expect(deploy!.summary).toBe("Granted deploy on k8s-prod (standing); risk now Critical");
    expect(created!.summary).toMatch(
      /^Registered coding agent in prod, owner Olivia Owner <olivia@example.com>, backup owner Omar Owner <omar@example.com>, autonomy suggest, expires \d{4}-\d{2}-\d{2}; risk now Low$/,
    );
    expect(created!.actorLabel).toBe("olivia@example.com");
    expect(detail.timelineTruncated).toBe(false);
  });

  it("shows an API token's own events on the identity that inventories it", async () => {
    await createTestToken("olivia@example.com", ["READ"]);
    const tokenIdentity = await prisma.aiIdentity.findFirstOrThrow({ where: { product: "API token", ownerId: olivia.user.id } });
    const detail = (await loadIdentityDetail(prisma, tokenIdentity.id))!;
    expect(detail.apiToken).toMatchObject({ name: "test token" });
    expect(detail.timeline.map((event) => event.summary)).toEqual([
      expect.stringMatching(/^API token “test token” created with scopes read, expires /),
    ]);
  });
});

describe("identityPermissions", () => {
  const active = () => ({
    ownerId: olivia.user.id,
    backupOwnerId: omar.user.id,
    status: "ACTIVE" as IdentityStatus,
    expiresAt: inDays(30),
  });

  it("gives the owner, the backup owner and security leads the forms; auditors and bystanders none", () => {
    for (const who of [olivia, omar, sam]) {
      expect(identityPermissions(who.actor, active())).toMatchObject({
        edit: true,
        addGrant: true,
        manageGrants: true,
        addCredential: true,
        manageCredentials: true,
        openReview: true,
        statusChanges: ["suspend", "retire"],
      });
    }
    for (const who of [auditor, bystander]) {
      expect(identityPermissions(who.actor, active())).toEqual({
        edit: false,
        addGrant: false,
        manageGrants: false,
        addCredential: false,
        manageCredentials: false,
        openReview: false,
        statusChanges: [],
      });
    }
  });

  it("offers reactivation to security leads only, and adds nothing to an identity no longer in use", () => {
    const suspended = { ...active(), status: "SUSPENDED" as IdentityStatus };
    expect(identityPermissions(olivia.actor, suspended).statusChanges).toEqual(["retire"]);
    expect(identityPermissions(sam.actor, suspended).statusChanges).toEqual(["reactivate", "retire"]);
    expect(identityPermissions(sam.actor, { ...suspended, expiresAt: inDays(-1) }).statusChanges).toEqual(["retire"]);
    const retired = identityPermissions(olivia.actor, { ...active(), status: "RETIRED" });
    expect(retired).toMatchObject({ edit: true, addGrant: false, addCredential: false, openReview: false, statusChanges: [] });
  });

  it("offers exactly the status changes the mutations accept, for every status", async () => {
    const mutations = { activate: activateIdentity, suspend: suspendIdentity, reactivate: reactivateIdentity, retire: retireIdentity };
    for (const status of Object.values(IdentityStatus)) {
      for (const change of Object.keys(mutations) as StatusChange[]) {
        for (const who of [olivia, sam]) {
          const identity = await prisma.aiIdentity.create({
            data: {
              name: `${status}-${change}-${who.user.id}`,
              kind: "OTHER",
              purpose: "status check",
              environment: "DEV",
              status,
              ownerId: olivia.user.id,
              expiresAt: inDays(30),
              nextReviewAt: inDays(30),
            },
          });
          const offered = identityPermissions(who.actor, identity).statusChanges.includes(change);
          let accepted = true;
          try {
            await executeMutation(mutations[change], who.actor, { identityId: identity.id });
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            accepted = false;
          }
          expect({ status, change, actor: who.actor.label, offered }).toEqual({
            status,
            change,
            actor: who.actor.label,
            offered: accepted,
          });
        }
      }
    }
  });
});

describe("listOwnerCandidates", () => {
  it("lists active people who may own identities, plus anyone an identity already names", async () => {
    const gone = await createTestUser([], { email: "gone@example.com", active: false });
    const labels = (await listOwnerCandidates(prisma)).map((person) => person.label);
    expect(labels).toContain("Olivia Owner <olivia@example.com>");
    expect(labels).not.toContain("Audrey Auditor <audrey@example.com>");
    expect(labels.some((label) => label.includes("gone@example.com"))).toBe(false);
    const kept = (await listOwnerCandidates(prisma, [gone.user.id, null])).map((person) => person.label);
    expect(kept).toContain("gone <gone@example.com> (deactivated)");
  });
});

describe("listSystemsWithReach", () => {
  it("counts identities (not grants) with a live grant, leaving out revoked, expired and retired access", async () => {
    const system = await executeMutation(createSystem, systemActor, {
      name: "reach-test",
      kind: "DATABASE",
      environment: "PROD",
      sensitivity: "CONFIDENTIAL",
    });
    const unused = await executeMutation(createSystem, systemActor, {
      name: "unused",
      kind: "DATABASE",
      environment: "PROD",
      sensitivity: "PUBLIC",
    });
    const register = (name: string) =>
      executeMutation(createIdentity, olivia.actor, {
        name,
        kind: "OTHER",
        purpose: "reach",
        environment: "DEV",
        ownerId: olivia.user.id,
        expiresAt: inDays(30).toISOString(),
      });
    const both = await register("reads-and-writes");
    await executeMutation(createGrant, olivia.actor, { identityId: both.id, systemId: system.id, permission: "READ" });
    await executeMutation(createGrant, olivia.actor, { identityId: both.id, systemId: system.id, permission: "WRITE" });
    const revoked = await register("revoked-access");
    const grant = await executeMutation(createGrant, olivia.actor, { identityId: revoked.id, systemId: system.id, permission: "READ" });
    await executeMutation(revokeGrant, olivia.actor, { grantId: grant.id });
    const lapsed = await register("lapsed-access");
    await prisma.grant.create({ data: { identityId: lapsed.id, systemId: system.id, permission: "READ", expiresAt: inDays(-1) } });
    const retired = await register("retired-access");
    await executeMutation(createGrant, olivia.actor, { identityId: retired.id, systemId: system.id, permission: "READ" });
    await executeMutation(retireIdentity, olivia.actor, { identityId: retired.id });

    const systems = await listSystemsWithReach(prisma);
    expect(systems.find((row) => row.id === system.id)?.identitiesWithLiveGrants).toBe(1);
    expect(systems.find((row) => row.id === unused.id)?.identitiesWithLiveGrants).toBe(0);
    expect(systems.find((row) => row.id === k8s.id)?.identitiesWithLiveGrants).toBe(1);
  });
});

describe("summarizeEvent", () => {
  const names = { users: new Map<string, string>(), teams: new Map<string, string>() };

  it("describes a just-in-time grant with its end, and events it does not know as field: value", () => {
    expect(
      summarizeEvent(
        "grant.created",
        { system: "Vault", permission: "READ", mode: "JUST_IN_TIME", expiresAt: "2027-01-02T10:00:00.000Z", riskTier: "HIGH" },
        names,
      ),
    ).toBe("Granted read on Vault (just-in-time, until 2027-01-02); risk now High");
    expect(summarizeEvent("approval.decided", { outcome: "keep", note: "still needed" }, names)).toBe("outcome: keep; note: still needed");
    expect(summarizeEvent("identity.updated", { changed: {} }, names)).toBe("Saved without changes");
  });
});
