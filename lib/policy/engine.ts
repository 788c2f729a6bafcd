import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { setFlagsFromString } from "node:v8";
import { POLICY_SCHEMA } from "./schema";

// Node 20's V8 (11.3) aborts the whole process ("Fatal error ... unreachable
// code" in Deoptimizer::DoComputeBuiltinContinuation) when optimized code that
// inlined a call into WebAssembly is deoptimized while that call runs and the
// Wasm function returns a JS object (externref), as every cedar-wasm function
// does: V8's deoptimizer only knows i32, i64, f32 and f64 returns. Under load,
// authorize hit it within minutes. Not inlining JS-to-Wasm calls avoids it, at
// the cost of a call through the wrapper. It must be set before `evaluate` is
// first optimized, hence here, where every process that evaluates loads Cedar.
// engine-deopt.test.ts reproduces the abort and shows this prevents it.
setFlagsFromString("--no-turbo-inline-js-wasm-calls");

// Cedar, wrapped for Warrant: a policy set is checked (syntax, annotations,
// validation against the schema, each problem at its line and column),
// parsed once per version and kept in the evaluator's cache, and evaluated
// into allow, deny or require_approval with the policies that decided and
// their reasons.

export type Outcome = "allow" | "deny" | "require_approval";

export interface PolicyProblem {
  message: string;
  /** 1-based, in the policy set's text. */
  line: number;
  column: number;
  /** The @id of the policy the problem is in, where known. */
  policyId?: string;
}

export interface PolicyInfo {
  id: string;
  effect: "permit" | "forbid";
  /** The sentence shown when this policy decides (its @reason annotation). */
  reason: string | null;
  /** A forbid marked @decision("require_approval"): a human may allow what it stops. */
  requiresApproval: boolean;
  /** The policy's own text, as written. */
  text: string;
}

export interface CompiledPolicySet {
  /** The version this set was compiled for; it names the set in the evaluator's cache. */
  key: string;
  policies: PolicyInfo[];
}

export interface CedarRequest {
  principal: cedar.EntityUid;
  action: cedar.EntityUid;
  resource: cedar.EntityUid;
  context: cedar.Context;
  entities: cedar.Entities;
}

export interface PolicyDecision {
  outcome: Outcome;
  /** The ids of the policies that decided: the forbids that matched, or the permits that allowed. */
  policyIds: string[];
  reasons: string[];
}

export class PolicySetInvalid extends Error {
  constructor(readonly problems: PolicyProblem[]) {
    super(`The policies have ${problems.length} problem${problems.length === 1 ? "" : "s"}: ${problems.map(describe).join("; ")}`);
    this.name = "PolicySetInvalid";
  }
}

const describe = (problem: PolicyProblem) => `line ${problem.line}, column ${problem.column}: ${problem.message}`;

const SCHEMA_NAME = "warrant";
const DECISIONS = ["require_approval"];
let schemaReady = false;

function ensureSchema() {
  if (schemaReady) return;
  const answer = cedar.preparseSchema(SCHEMA_NAME, POLICY_SCHEMA);
  if (answer.type !== "success")
    throw new Error(`Warrant's own Cedar schema does not parse: ${answer.errors.map((e) => e.message).join("; ")}`);
  schemaReady = true;
}

/** Line and column (1-based) of a character offset in `text`. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split("\n");
  return { line: lines.length, column: lines.at(-1)!.length + 1 };
}

function problemsFrom(text: string, errors: cedar.DetailedError[], policyId?: string): PolicyProblem[] {
  return errors.map((error) => {
    const location = error.sourceLocations?.[0];
    const detail = location?.label ? ` (${location.label})` : "";
    return { message: `${error.message}${detail}`, ...position(text, location?.start ?? 0), ...(policyId ? { policyId } : {}) };
  });
}

/**
 * Checks a policy set's text: it parses, every policy has a unique @id, its
 * @decision is one Warrant knows, and it validates against the schema
 * (strict). Returns the policies or every problem found.
 */
export function checkPolicies(text: string): { ok: true; policies: PolicyInfo[] } | { ok: false; problems: PolicyProblem[] } {
  const parts = cedar.policySetTextToParts(text);
  if (parts.type !== "success") return { ok: false, problems: problemsFrom(text, parts.errors) };
  if (parts.policy_templates.length > 0) {
    return { ok: false, problems: [{ message: "templates are not supported; write each policy out", line: 1, column: 1 }] };
  }

  const problems: PolicyProblem[] = [];
  const policies: PolicyInfo[] = [];
  const seen = new Set<string>();
  let searchFrom = 0;
  for (const [index, part] of parts.policies.entries()) {
    // Parts are the policies' own text; finding each in order gives its place in the file.
    const offset = text.indexOf(part, searchFrom);
    searchFrom = offset >= 0 ? offset + part.length : searchFrom;
    const at = position(text, Math.max(offset, 0));
    const json = cedar.policyToJson(part);
    if (json.type !== "success") {
      problems.push(...problemsFrom(text, json.errors));
      continue;
    }
    const annotations = json.json.annotations ?? {};
    const id = annotations.id?.trim() || `policy${index}`;
    if (!annotations.id?.trim()) problems.push({ message: 'every policy needs an @id("…") annotation, so decisions can name it', ...at });
    else if (seen.has(id)) problems.push({ message: `@id("${id}") is used by an earlier policy; ids must be unique`, ...at, policyId: id });
    seen.add(id);
    const decision = annotations.decision;
    if (decision !== undefined && !DECISIONS.includes(decision)) {
      problems.push({ message: `@decision("${decision}") is not known; the only one is "require_approval"`, ...at, policyId: id });
    }
    if (decision !== undefined && json.json.effect !== "forbid") {
      problems.push({ message: `@decision("${decision}") only makes sense on a forbid policy`, ...at, policyId: id });
    }
    policies.push({
      id,
      effect: json.json.effect,
      reason: annotations.reason ?? null,
      requiresApproval: decision === "require_approval",
      text: part,
    });
  }

  const validation = cedar.validate({ schema: POLICY_SCHEMA, policies: { staticPolicies: text }, validationSettings: { mode: "strict" } });
  if (validation.type !== "success") {
    problems.push(...problemsFrom(text, validation.errors));
  } else {
    for (const { policyId, error } of validation.validationErrors) {
      // The validator names policies by position ("policy3") when given the whole text.
      const index = Number(policyId.replace(/^policy/, ""));
      problems.push(...problemsFrom(text, [error], policies[index]?.id));
    }
  }
  if (problems.length > 0) {
    return { ok: false, problems: problems.sort((a, b) => a.line - b.line || a.column - b.column) };
  }
  return { ok: true, policies };
}

const compiled = new Map<string, CompiledPolicySet>();

/**
 * The policy set of one version, checked and parsed once: later calls with
 * the same key return the same compiled set without parsing again. A version's
 * text never changes, so its key (the version's id) is a safe cache key.
 */
export function compilePolicySet(key: string, text: string): CompiledPolicySet {
  const cached = compiled.get(key);
  if (cached) return cached;
  ensureSchema();
  const checked = checkPolicies(text);
  if (!checked.ok) throw new PolicySetInvalid(checked.problems);
  const answer = cedar.preparsePolicySet(key, {
    staticPolicies: Object.fromEntries(checked.policies.map((policy) => [policy.id, policy.text])),
  });
  if (answer.type !== "success") throw new PolicySetInvalid(problemsFrom(text, answer.errors));
  const set = { key, policies: checked.policies };
  compiled.set(key, set);
  return set;
}

/** How many policy set versions have been parsed in this process (the cache's size). */
export function compiledVersionCount(): number {
  return compiled.size;
}

/**
 * Judges one request. Cedar answers allow or deny; a deny whose matching
 * forbids are all marked require_approval becomes require_approval. A policy
 * that fails to evaluate makes the answer deny (fail closed): Cedar would
 * otherwise skip an erroring forbid and allow.
 */
export function evaluate(set: CompiledPolicySet, request: CedarRequest): PolicyDecision {
  ensureSchema();
  const answer = cedar.statefulIsAuthorized({
    principal: request.principal,
    action: request.action,
    resource: request.resource,
    context: request.context,
    entities: request.entities,
    preparsedSchemaName: SCHEMA_NAME,
    preparsedPolicySetId: set.key,
    validateRequest: true,
  });
  if (answer.type !== "success") {
    return { outcome: "deny", policyIds: [], reasons: answer.errors.map((error) => `The request could not be judged: ${error.message}`) };
  }
  const { decision, diagnostics } = answer.response;
  const byId = new Map(set.policies.map((policy) => [policy.id, policy]));
  if (diagnostics.errors.length > 0) {
    return {
      outcome: "deny",
      policyIds: diagnostics.errors.map((error) => error.policyId),
      reasons: diagnostics.errors.map(
        (error) => `Policy ${error.policyId} could not be evaluated (${error.error.message}), so the request is denied.`,
      ),
    };
  }
  const deciding = diagnostics.reason.map((id) => byId.get(id)).filter((policy): policy is PolicyInfo => policy !== undefined);
  const reasons = deciding.map(
    (policy) => policy.reason ?? `Policy ${policy.id} ${policy.effect === "permit" ? "permits" : "forbids"} it.`,
  );
  if (decision === "allow") return { outcome: "allow", policyIds: deciding.map((policy) => policy.id), reasons };
  if (deciding.length === 0) return { outcome: "deny", policyIds: [], reasons: ["No policy permits this request."] };
  const outcome = deciding.every((policy) => policy.requiresApproval) ? "require_approval" : "deny";
  // A hard forbid wins: only its reasons are told, since approval would not help.
  const told = outcome === "deny" ? deciding.filter((policy) => !policy.requiresApproval) : deciding;
  return {
    outcome,
    policyIds: told.map((policy) => policy.id),
    reasons: told.map((policy) => policy.reason ?? `Policy ${policy.id} forbids it.`),
  };
}
