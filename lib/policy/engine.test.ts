import { describe, expect, it } from "vitest";
import { checkPolicies, compilePolicySet, compiledVersionCount, evaluate, PolicySetInvalid } from "./engine";
import { DEV_WRITE_REQUEST } from "./fixtures/dev-write-request";
import { toCedarRequest } from "./request";

// What someone editing policies sees: each problem at its line and column,
// and how a policy set's answer becomes allow, deny or require_approval.

const request = DEV_WRITE_REQUEST;

const problemsOf = (text: string) => {
  const checked = checkPolicies(text);
  if (checked.ok) throw new Error("the policies were accepted");
  return checked.problems;
};

describe("checking policies", () => {
  it("names a syntax error's line and column", () => {
    const text = '@id("ok")\npermit (principal, action, resource);\n\n@id("broken")\nforbid (principal, action resource);\n';
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ line: 5, column: 27, message: expect.stringContaining("unexpected token `resource`") }),
    ]);
  });

  it("validates against Warrant's schema, naming the policy, line and column of an unknown attribute", () => {
    const text =
      '@id("ok")\npermit (principal, action, resource);\n@id("typo")\nforbid (principal, action, resource)\n  when { principal.enviroment == "PROD" };\n';
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ policyId: "typo", line: 5, column: 10, message: expect.stringContaining("attribute `enviroment`") }),
    ]);
  });

  it("refuses a policy without an @id, a repeated @id, an unknown @decision and a decision on a permit", () => {
    const text = [
      "permit (principal, action, resource);",
      '@id("twice") forbid (principal, action, resource) when { principal.reviewOverdue };',
      '@id("twice") forbid (principal, action, resource) when { context.humanApproved };',
      '@id("odd") @decision("maybe") forbid (principal, action, resource) when { context.humanApproved };',
      '@id("kind") @decision("require_approval") permit (principal, action, resource);',
    ].join("\n");
    expect(problemsOf(text).map((problem) => [problem.line, problem.message])).toEqual([
      [1, expect.stringContaining("needs an @id")],
      [3, expect.stringContaining('@id("twice") is used by an earlier policy')],
      [4, expect.stringContaining('@decision("maybe") is not known')],
      [5, expect.stringContaining("only makes sense on a forbid policy")],
    ]);
  });

  it("refuses templates", () => {
    expect(problemsOf('@id("t") permit (principal == ?principal, action, resource);')).toEqual([
      expect.objectContaining({ message: expect.stringContaining("templates are not supported") }),
    ]);
  });

  it("compiles a version once: the same key returns the parsed set without parsing again", () => {
    const text = '@id("all") permit (principal, action, resource);';
    const first = compilePolicySet("engine-test-cache", text);
    const count = compiledVersionCount();
    expect(compilePolicySet("engine-test-cache", text)).toBe(first);
    expect(compiledVersionCount()).toBe(count);
    expect(() => compilePolicySet("engine-test-invalid", "permit (principal, action, resource);")).toThrow(PolicySetInvalid);
  });
});

describe("judging", () => {
  it("denies when no policy permits, naming no policy", () => {
    const set = compilePolicySet("engine-test-empty", '@id("nothing") forbid (principal, action, resource) when { false };');
    expect(evaluate(set, toCedarRequest(request))).toEqual({
      outcome: "deny",
      policyIds: [],
      reasons: ["No policy permits this request."],
    });
  });

  it("asks for approval only when every matching forbid allows asking; a hard forbid wins", () => {
    const set = compilePolicySet(
      "engine-test-mixed",
      [
        '@id("all") permit (principal, action, resource);',
        '@id("ask") @decision("require_approval") @reason("Ask first.") forbid (principal, action == Action::"write", resource) unless { context.humanApproved };',
        '@id("never-jit") @reason("Not with a task token.") forbid (principal, action, resource) when { context.credential.kind == "jit" && principal.autonomy == "AUTONOMOUS" };',
      ].join("\n"),
    );
    expect(evaluate(set, toCedarRequest(request))).toEqual({ outcome: "require_approval", policyIds: ["ask"], reasons: ["Ask first."] });
    const autonomous = { ...request, identity: { ...request.identity, autonomy: "AUTONOMOUS" } };
    expect(evaluate(set, toCedarRequest(autonomous))).toEqual({
      outcome: "deny",
      policyIds: ["never-jit"],
      reasons: ["Not with a task token."],
    });
    expect(evaluate(set, toCedarRequest({ ...request, humanApproved: true }))).toMatchObject({ outcome: "allow", policyIds: ["all"] });
  });

  it("fails closed: a forbid that cannot be evaluated denies instead of being skipped", () => {
    // Valid against the schema, but overflows at run time; Cedar alone would skip it and allow.
    const set = compilePolicySet(
      "engine-test-overflow",
      '@id("all") permit (principal, action, resource);\n@id("overflows") forbid (principal, action, resource) when { context.now + 9223372036854775807 > 0 };',
    );
    const decision = evaluate(set, toCedarRequest(request));
    expect(decision.outcome).toBe("deny");
    expect(decision.policyIds).toEqual(["overflows"]);
    expect(decision.reasons[0]).toContain("could not be evaluated");
  });
});
