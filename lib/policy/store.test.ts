import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { executeMutation } from "@/lib/auth/mutation";
import { decideApprovalRequest } from "@/lib/approvals/decide";
import { SentForApproval } from "@/lib/approvals/request";
import { prisma } from "@/lib/db/client";
import { runCli } from "@/lib/testing/cli";
import { createTestUser, refused } from "@/lib/testing/factories";
import { compiledVersionCount, evaluate } from "./engine";
import { activatePolicyVersion, activePolicySet, createPolicyVersion, listPolicyVersions } from "./store";
import { toCedarRequest, type PolicyRequest } from "./request";

// Policy versions against a real database: the defaults install themselves
// once, a bad version is refused with its line and column, and activating a
// version waits for a second security lead.

let lead: Actor;
let leadEmail: string;
let secondLead: Actor;
let member: Actor;
let auditor: Actor;

const toolCall: PolicyRequest = {
  identity: {
    id: "agent",
    kind: "CODING_AGENT",
    environment: "DEV",
    autonomy: "EXECUTE",
    status: "ACTIVE",
    riskTier: "LOW",
    reviewOverdue: false,
    ownerId: "omar",
    teamId: null,
  },
  action: "call_tool",
  tool: { name: "Bash", command: "npm test", argumentsHash: "h" },
  now: new Date(),
  credential: { kind: "api_token", id: "t" },
  humanApproved: false,
};

beforeAll(async () => {
  const leadUser = await createTestUser(["SECURITY_LEAD"]);
  lead = leadUser.actor;
  leadEmail = leadUser.user.email;
  secondLead = (await createTestUser(["SECURITY_LEAD"])).actor;
  member = (await createTestUser()).actor;
  auditor = (await createTestUser(["AUDITOR"])).actor;
});

describe("policy versions", () => {
  it("installs the default policies once, as active version 1, audited as Warrant's own change", async () => {
    expect(await prisma.policyVersion.count()).toBe(0);
    // Several servers starting at once still install one version.
    const sets = await Promise.all([activePolicySet(prisma), activePolicySet(prisma), activePolicySet(prisma)]);
    expect(sets.map((set) => set.number)).toEqual([1, 1, 1]);
    expect(await prisma.policyVersion.count()).toBe(1);
    expect(sets[0]!.policies.map((policy) => policy.id)).toContain("deploy-needs-approval");
    const events = await prisma.auditEvent.findMany({ where: { targetType: "policy_version" }, orderBy: { seq: "asc" } });
    expect(events.map((event) => [event.action, event.actorType])).toEqual([
      ["policy.version_created", "SYSTEM"],
      ["policy.activated", "SYSTEM"],
    ]);
  });

  it("parses the active version once, however often it is asked for", async () => {
    await activePolicySet(prisma);
    const count = compiledVersionCount();
    for (let i = 0; i < 5; i++) await activePolicySet(prisma);
    expect(compiledVersionCount()).toBe(count);
  });

  it("refuses a version with problems, naming line and column, and stores nothing", async () => {
    const before = await prisma.policyVersion.count();
    const error = await refused(
      executeMutation(createPolicyVersion, lead, {
        text: '@id("a")\npermit (principal, action, resource)\n  when { principal.colour == "red" };\n',
      }),
    );
    expect(error.code).toBe("validation_failed");
    expect(error.fields?.text).toMatch(/^line 3, column 10: .*attribute `colour`/);
    // The text is kept as written (not trimmed), so lines are the author's lines.
    const shifted = await refused(
      executeMutation(createPolicyVersion, lead, { text: '\n\n@id("a") permit (principal, action, resource) when { principal.colour };' }),
    );
    expect(shifted.fields?.text).toMatch(/^line 3, column \d+: .*attribute `colour`/);
    expect(await prisma.policyVersion.count()).toBe(before);
  });

  it("lets only security leads write versions", async () => {
    const text = '@id("all") permit (principal, action, resource);';
    expect((await refused(executeMutation(createPolicyVersion, member, { text }))).code).toBe("forbidden");
    expect((await refused(executeMutation(createPolicyVersion, auditor, { text }))).code).toBe("forbidden");
  });

  it("activates a new version only once a second security lead approves, and judges by it from then on", async () => {
    const text = [
      '@id("all") permit (principal, action, resource);',
      '@id("no-shell") @reason("No shell in this test.") forbid (principal, action == Action::"call_tool", resource == Tool::"Bash");',
    ].join("\n");
    const version = await executeMutation(createPolicyVersion, lead, { text, note: "No shell at all" });
    expect(version.number).toBe(2);
    expect((await activePolicySet(prisma)).number).toBe(1);
    expect(evaluate(await activePolicySet(prisma), toCedarRequest(toolCall)).outcome).toBe("allow");

    let requestId = "";
    try {
      await executeMutation(activatePolicyVersion, lead, { versionId: version.id, justification: "Shell access is being phased out" });
      throw new Error("activation was applied without approval");
    } catch (error) {
      if (!(error instanceof SentForApproval)) throw error;
      expect(error.request).toMatchObject({ catalogKey: "policy.activated", summary: "Activate runtime policies version 2" });
      requestId = error.request.id;
    }
    expect((await activePolicySet(prisma)).number).toBe(1);
    // The requester cannot approve their own activation.
    expect((await refused(executeMutation(decideApprovalRequest, lead, { requestId, verdict: "APPROVE" }))).code).toBe("forbidden");
    expect(await executeMutation(decideApprovalRequest, secondLead, { requestId, verdict: "APPROVE" })).toMatchObject({
      status: "APPLIED",
    });

    const active = await activePolicySet(prisma);
    expect(active.number).toBe(2);
    expect(evaluate(active, toCedarRequest(toolCall))).toEqual({
      outcome: "deny",
      policyIds: ["no-shell"],
      reasons: ["No shell in this test."],
    });
    const versions = await listPolicyVersions(prisma);
    expect(versions.map((v) => [v.number, v.active, v.note])).toEqual([
      [2, true, "No shell at all"],
      [1, false, "Warrant's default policies"],
    ]);
  });

  it("refuses to activate the version already active", async () => {
    const active = await activePolicySet(prisma);
    const error = await refused(executeMutation(activatePolicyVersion, secondLead, { versionId: active.key, justification: "again" }));
    expect(error.code).toBe("conflict");
  });

  it("round-trips through .cedar files with the CLI, so teams keep policies in git", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "warrant-policies-"));
    const file = path.join(dir, "policies.cedar");
    const exported = await runCli(["policies:export", "--file", file]);
    expect(exported.code).toBe(0);
    const active = await activePolicySet(prisma);
    expect(readFileSync(file, "utf8")).toBe((await prisma.policyVersion.findUniqueOrThrow({ where: { id: active.key } })).text);

    writeFileSync(
      file,
      readFileSync(file, "utf8") + '\n@id("typo") forbid (principal, action, resource) when { principal.statuss == "X" };\n',
    );
    const broken = await runCli(["policies:import", "--file", file, "--as", leadEmail]);
    expect(broken.code).toBe(1);
    expect(broken.output).toMatch(/line \d+, column \d+: .*attribute `statuss`/);

    writeFileSync(file, '@id("all") permit (principal, action, resource);\n');
    const imported = await runCli([
      "policies:import",
      "--file",
      file,
      "--as",
      leadEmail,
      "--note",
      "From git",
      "--activate",
      "--justification",
      "Reviewed in PR 42",
    ]);
    expect(imported.code).toBe(0);
    expect(imported.output).toMatch(/Stored policy version \d+ \(1 policies: all\)/);
    expect(imported.output).toContain("Sent for approval: Activate runtime policies version");
    expect((await activePolicySet(prisma)).key).toBe(active.key);
  }, 180_000);
});
