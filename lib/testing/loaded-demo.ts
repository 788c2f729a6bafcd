import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { verifyAuditChain } from "@/lib/audit/verify";
import { DEMO_IDENTITIES } from "@/lib/demo/seed";
import { DEMO_SCAN_REPORTS } from "@/lib/demo/seed-discovery";
import { LIVE_STATUSES } from "@/lib/inventory/lifecycle";
import { REVIEW_NOTICE_DAYS } from "@/lib/reviews/due";

/**
 * What the demo organisation looks like once loaded, as tests: a test file
 * loads it (lib/demo/seed.test.ts at once, seed-resume.test.ts through
 * interrupted starts) and then calls this, so both must end the same way.
 */
export function describeLoadedDemo() {
  describe("the demo organisation", () => {
    it("gives every identity an owner, a purpose and an expiry, and flags the deactivated owner's as orphaned", async () => {
      const identities = await prisma.aiIdentity.findMany({ include: { owner: true } });
      for (const identity of identities) {
        expect(identity.purpose.length).toBeGreaterThan(0);
        expect(identity.expiresAt).toBeInstanceOf(Date);
        expect(identity.orphanedAt !== null).toBe(!identity.owner.active);
      }
    });

    it("leaves one email in the outbox, for the admin's Notifications page to show", async () => {
      const messages = await prisma.notificationMessage.findMany({ where: { event: "review.overdue" } });
      expect(messages).toEqual([
        expect.objectContaining({
          channel: "EMAIL",
          recipient: "olivia.owner@example.com",
          status: "PENDING",
          subject: "Review overdue: claude-code-release-agent",
        }),
      ]);
    });
  });

  describe("demo reviews", () => {
    it("are open for exactly the identities in service whose review date is within the notice period", async () => {
      const due = DEMO_IDENTITIES.filter(
        (identity) => LIVE_STATUSES.includes(identity.status) && identity.nextReviewInDays <= REVIEW_NOTICE_DAYS,
      );
      expect(due.length).toBeGreaterThan(0);
      const open = await prisma.review.findMany({ where: { status: "OPEN", trigger: "SCHEDULED" }, include: { identity: true } });
      expect(open.map((review) => review.identity.name).sort()).toEqual(due.map((identity) => identity.name).sort());
      // Besides those, only the follow-up review of the demo's break-glass change.
      const other = await prisma.review.findMany({ where: { status: "OPEN", trigger: { not: "SCHEDULED" } }, include: { identity: true } });
      expect(other.map((review) => [review.identity.name, review.reason])).toEqual([
        ["ci-security-scanner", expect.stringContaining("Follow-up of a break-glass change")],
      ]);
    });

    it("include past attestations by the owners, so identity pages show a history", async () => {
      const withHistory = DEMO_IDENTITIES.filter((identity) => identity.pastReview);
      expect(withHistory.length).toBeGreaterThan(0);
      const done = await prisma.review.findMany({
        where: { status: "COMPLETED" },
        include: { identity: { include: { owner: true } }, attestedBy: true },
      });
      expect(done.map((review) => review.identity.name).sort()).toEqual(withHistory.map((identity) => identity.name).sort());
      for (const review of done) expect(review.attestedBy?.email).toBe(review.identity.owner.email);
    });
  });

  describe("demo risk tiers", () => {
    it("are computed from what each identity reaches", async () => {
      const release = await prisma.aiIdentity.findFirstOrThrow({ where: { name: "claude-code-release-agent" } });
      expect(release.riskTier).toBe("CRITICAL");
      expect(release.riskReasons).toEqual(expect.arrayContaining(["deploy on k8s-prod (production, restricted)"]));
      const copilot = await prisma.aiIdentity.findFirstOrThrow({ where: { name: "copilot-payments-ide" } });
      expect(copilot.riskTier).toBe("LOW");
    });
  });

  describe("demo approvals", () => {
    it("show every state: waiting at each level, applied, rejected, expired and break-glass, each with its audit trail", async () => {
      const all = await prisma.approvalRequest.findMany({ include: { decisions: true }, orderBy: { createdAt: "asc" } });
      // The demo agents' calls that the policies sent to a human wait in the inbox too (see the runtime decisions below).
      const agentCalls = all.filter((request) => request.mutation === "runtime.allow-call-once");
      expect(agentCalls.map((request) => [request.status, request.summary])).toEqual([
        ["PENDING", "cursor-web-team asks to Bash: git push --force origin main"],
        ["PENDING", "claude-code-release-agent asks to Bash: terraform destroy -auto-approve"],
      ]);
      const requests = all.filter((request) => !agentCalls.includes(request));
      const byStatus = (status: string) => requests.filter((request) => request.status === status);
      expect(byStatus("PENDING")).toHaveLength(3);
      expect(
        byStatus("PENDING")
          .map((request) => request.decisions.length)
          .sort(),
      ).toEqual([0, 0, 1]);
      expect(
        byStatus("APPLIED")
          .map((request) => request.breakGlass)
          .sort(),
      ).toEqual([false, true]);
      expect(byStatus("REJECTED")).toHaveLength(1);
      expect(byStatus("EXPIRED")).toHaveLength(1);
      const steps = await prisma.auditEvent.groupBy({ by: ["action"], where: { action: { startsWith: "approval." } }, _count: true });
      expect(Object.fromEntries(steps.map((step) => [step.action, step._count]))).toEqual({
        "approval.requested": 9,
        "approval.approved": 2,
        "approval.applied": 1,
        "approval.rejected": 1,
        "approval.expired": 1,
        "approval.break_glass": 1,
      });
      expect((await verifyAuditChain(prisma)).ok).toBe(true);
    });
  });

  describe("the demo's runtime decisions", () => {
    it("were judged by the default policies: allowed, denied and waiting for a human, each with the request it judged", async () => {
      const decisions = await prisma.policyDecision.findMany({
        orderBy: { createdAt: "asc" },
        select: { identity: { select: { name: true } }, action: true, resourceId: true, outcome: true, cedarRequest: true },
      });
      expect(decisions.map((decision) => `${decision.identity.name} ${decision.action} ${decision.outcome}`)).toEqual([
        "cursor-web-team call_tool ALLOW",
        "cursor-web-team call_tool ALLOW",
        "cursor-web-team call_tool REQUIRE_APPROVAL",
        "cursor-web-team write ALLOW",
        "cursor-web-team read DENY",
        "renovate-bot write ALLOW",
        "renovate-bot deploy DENY",
        "claude-code-release-agent deploy DENY",
        "claude-code-release-agent call_tool REQUIRE_APPROVAL",
        "slack-triage-bot write DENY",
        "postgres-mcp-payments read DENY",
        "ci-security-scanner call_tool ALLOW",
      ]);
      expect(decisions.every((decision) => decision.cedarRequest !== null)).toBe(true);
    });
  });

  describe("the demo's Discovered queue", () => {
    it("holds the two demo scans' findings, open, each repository with its team", async () => {
      const findings = await prisma.discoveryFinding.findMany({
        include: { repository: { include: { team: true } } },
        orderBy: [{ repository: { name: "asc" } }, { file: "asc" }],
      });
      expect(findings.map((finding) => [finding.repository.name, finding.repository.team?.name, finding.file, finding.status])).toEqual([
        ["acme/payments-api", "Payments", ".github/workflows/claude-review.yml", "OPEN"],
        ["acme/payments-api", "Payments", ".mcp.json", "OPEN"],
        ["acme/payments-api", "Payments", "CLAUDE.md", "OPEN"],
        ["acme/payments-api", "Payments", "config/deploy.env", "OPEN"],
        ["acme/web", "Developer Experience", ".claude/settings.json", "OPEN"],
      ]);
      expect(await prisma.discoveryScan.count()).toBe(DEMO_SCAN_REPORTS.length);
    });
  });
}
