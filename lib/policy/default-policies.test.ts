import { describe, expect, it } from "vitest";
import { DEFAULT_POLICIES } from "./default-policies";
import { compilePolicySet, evaluate } from "./engine";
import { toCedarRequest, type PolicyIdentity, type PolicyRequest, type PolicySystem } from "./request";

// Each default policy with a request it lets through and one it stops. The
// baseline request is allowed; each case changes one thing about it.

const policies = compilePolicySet("defaults-under-test", DEFAULT_POLICIES);

const identity: PolicyIdentity = {
  id: "release-bot",
  kind: "CI_BOT",
  environment: "PROD",
  autonomy: "EXECUTE",
  status: "ACTIVE",
  riskTier: "MEDIUM",
  reviewOverdue: false,
  ownerId: "omar",
  teamId: "payments",
};
const repo: PolicySystem = { id: "payments-repo", kind: "REPOSITORY", environment: "PROD", sensitivity: "CONFIDENTIAL", ownerId: "alex" };
const common = {
  identity,
  now: new Date("2026-11-29T12:00:00Z"),
  credential: { kind: "api_token" as const, id: "tok-1" },
  humanApproved: false,
};

function onSystem(action: "read" | "write" | "deploy" | "admin", changes: Partial<Extract<PolicyRequest, { system: PolicySystem }>> = {}) {
  return judge({ ...common, action, system: repo, grantedPermissions: ["READ", "WRITE", "DEPLOY", "ADMIN"], ...changes });
}

function shell(command: string, changes: Partial<Extract<PolicyRequest, { action: "call_tool" }>> = {}) {
  return judge({ ...common, action: "call_tool", tool: { name: "Bash", command, argumentsHash: "hash-of-args" }, ...changes });
}

function judge(request: PolicyRequest) {
  const decision = evaluate(policies, toCedarRequest(request));
  return { outcome: decision.outcome, policyIds: decision.policyIds };
}

const allowed = { outcome: "allow", policyIds: ["baseline"] };

describe("default policies", () => {
  it("baseline: an active identity acts within its grants", () => {
    expect(onSystem("read")).toEqual(allowed);
    expect(onSystem("write")).toEqual(allowed);
    expect(shell("npm test")).toEqual(allowed);
  });

  it("identity-not-active: suspended, expired, revoked, retired and proposed identities are denied everything", () => {
    for (const status of ["SUSPENDED", "EXPIRED", "REVOKED", "RETIRED", "PROPOSED"]) {
      const stopped = { outcome: "deny", policyIds: ["identity-not-active"] };
      expect(onSystem("read", { identity: { ...identity, status } }), status).toEqual(stopped);
      expect(shell("npm test", { identity: { ...identity, status } }), status).toEqual(stopped);
      // Not even a human's approval lets a dead identity act.
      expect(onSystem("deploy", { identity: { ...identity, status }, humanApproved: true }), status).toEqual(stopped);
    }
  });

  it("non-prod-never-touches-prod: a dev or staging identity never acts on production", () => {
    const staging = { ...identity, environment: "STAGING" };
    expect(onSystem("read", { identity: staging })).toEqual({ outcome: "deny", policyIds: ["non-prod-never-touches-prod"] });
    expect(onSystem("read", { identity: staging, system: { ...repo, environment: "STAGING" } })).toEqual(allowed);
    expect(shell("kubectl rollout status", { identity: { ...identity, environment: "DEV" }, targetEnvironment: "PROD" })).toEqual({
      outcome: "deny",
      policyIds: ["non-prod-never-touches-prod"],
    });
    expect(shell("kubectl rollout status", { identity: { ...identity, environment: "DEV" }, targetEnvironment: "DEV" })).toEqual(allowed);
  });

  it("grant-required: an action no live grant covers is denied", () => {
    const denied = { outcome: "deny", policyIds: ["grant-required"] };
    expect(onSystem("read", { grantedPermissions: [] })).toEqual(denied);
    expect(onSystem("read", { grantedPermissions: ["READ"] })).toEqual(allowed);
    expect(onSystem("write", { grantedPermissions: ["READ"] })).toEqual(denied);
    expect(onSystem("write", { grantedPermissions: ["WRITE"] })).toEqual(allowed);
    // As in the inventory, no permission implies another: not even ADMIN covers a deploy.
    expect(onSystem("read", { grantedPermissions: ["WRITE", "DEPLOY", "ADMIN"] })).toEqual(denied);
    expect(onSystem("deploy", { grantedPermissions: ["ADMIN"], humanApproved: true })).toEqual(denied);
    expect(onSystem("deploy", { grantedPermissions: ["DEPLOY"], humanApproved: true })).toEqual(allowed);
    expect(onSystem("admin", { grantedPermissions: ["ADMIN"], humanApproved: true })).toEqual(allowed);
  });

  it("overdue-review-blocks-changes: an identity with an overdue review may read but not write or deploy", () => {
    const overdue = { ...identity, reviewOverdue: true };
    expect(onSystem("read", { identity: overdue })).toEqual(allowed);
    expect(onSystem("write", { identity: overdue })).toEqual({ outcome: "deny", policyIds: ["overdue-review-blocks-changes"] });
    // A hard deny wins over "needs approval": approving would not help.
    expect(onSystem("deploy", { identity: overdue })).toEqual({ outcome: "deny", policyIds: ["overdue-review-blocks-changes"] });
  });

  it("deploy-needs-approval: deploy requires a human's approval of the call", () => {
    expect(onSystem("deploy")).toEqual({ outcome: "require_approval", policyIds: ["deploy-needs-approval"] });
    expect(onSystem("deploy", { humanApproved: true })).toEqual(allowed);
  });

  it("restricted-write-needs-approval: writing to a RESTRICTED system requires approval; reading it does not", () => {
    const vault = { ...repo, sensitivity: "RESTRICTED" };
    expect(onSystem("write", { system: vault })).toEqual({ outcome: "require_approval", policyIds: ["restricted-write-needs-approval"] });
    expect(onSystem("write", { system: vault, humanApproved: true })).toEqual(allowed);
    expect(onSystem("read", { system: vault })).toEqual(allowed);
  });

  it("admin-needs-approval: admin always requires approval", () => {
    expect(onSystem("admin")).toEqual({ outcome: "require_approval", policyIds: ["admin-needs-approval"] });
    expect(onSystem("admin", { humanApproved: true })).toEqual(allowed);
  });

  it("destructive-shell-needs-approval: destructive shell commands require approval; ordinary ones do not", () => {
    const needsApproval = { outcome: "require_approval", policyIds: ["destructive-shell-needs-approval"] };
    for (const command of [
      "rm -rf /",
      "sudo rm -rf / --no-preserve-root",
      "rm -rf /*",
      "rm -rf ~/",
      "rm -fr /",
      "git push --force origin main",
      "git push origin main -f",
      "git push --force-with-lease",
      "terraform destroy -auto-approve",
      "terraform apply -destroy",
    ]) {
      expect(shell(command), command).toEqual(needsApproval);
      expect(shell(command, { humanApproved: true }), command).toEqual(allowed);
    }
    for (const command of ["rm -rf ./build", "rm -rf /tmp/cache", "git push origin feature/x", "terraform plan", "ls -la /"]) {
      expect(shell(command), command).toEqual(allowed);
    }
    // A tool call without a command (a file write) is not a shell command.
    expect(judge({ ...common, action: "call_tool", tool: { name: "Write", path: "/etc/passwd", argumentsHash: "h" } })).toEqual(allowed);
  });
});
