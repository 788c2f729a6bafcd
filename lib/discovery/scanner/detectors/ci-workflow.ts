import type { Permission } from "@/lib/db/generated/enums";
import { asRecord, parseStructured, unparsableFootprint, type StructuredDocument } from "../structured";
import { clip, proposalName, TOOLS, type KnownTool } from "../tools";
import type { Detector, DetectorContext, Footprint, FootprintFile } from "../types";

// GitHub Actions jobs that run a coding agent. Such a job acts unattended
// with whatever its GITHUB_TOKEN may do and whatever secrets it is handed, so
// each is a CI_BOT finding (subject jobs.<id>) with the secrets' names and the
// token's permissions turned into grants on the repository:
// - contents: write → WRITE; deployments: write or an `environment:` → DEPLOY;
//   id-token: write → "can mint cloud credentials"; other write scopes are
//   listed as capabilities.
// - write-all → WRITE and DEPLOY (every scope writes, id-token included). Not
//   ADMIN: the GITHUB_TOKEN has no administration scope, whatever it is given.
// - read-all or {} → READ (it still checks the repository out).
// - no permissions block on the job or the workflow → the repository's default
//   token permissions apply, which the scan cannot see: READ and WRITE are
//   assumed (the default was read and write for repositories created before
//   February 2023), and the details say so.
// - a reusable workflow (on: workflow_call) without a permissions block runs
//   with what the job calling it grants: its reach is the widest that any
//   job of this repository calling it (`uses: ./.github/workflows/<file>`)
//   passes on, and the details name those callers. Called only from other
//   repositories, it is read as above, and the details say so.
// A workflow without an agent step has no finding.

interface AgentMatcher {
  known: KnownTool;
  /** `uses:` actions, owner/name (the @ref is ignored). */
  actions: string[];
  /** A `run:` script that invokes the tool: the command at the start of a line or after a shell operator, or its package. */
  run: RegExp;
}

const COMMAND_START = String.raw`(?:^|[;&|(\x60]|\$\(|\bnpx\s+(?:-y\s+)?|\bexec\s+|\btimeout\s+\d+\s+)\s*`;
const command = (names: string) => new RegExp(`${COMMAND_START}(?:${names})(?=\\s|$)`, "m");

/** The agents recognised in workflows; keep this list as data, so adding a tool is one entry. */
export const CI_AGENTS: AgentMatcher[] = [
  {
    known: TOOLS.claudeCode,
    actions: ["anthropics/claude-code-action", "anthropics/claude-code-base-action"],
    run: new RegExp(`${command("claude").source}|@anthropic-ai/claude-code`, "m"),
  },
  { known: TOOLS.codex, actions: ["openai/codex-action"], run: new RegExp(`${command("codex").source}|@openai/codex`, "m") },
  {
    known: TOOLS.copilot,
    actions: [],
    run: new RegExp(`${command("gh\\s+copilot|copilot").source}|@github/copilot`, "m"),
  },
  {
    known: TOOLS.gemini,
    actions: ["google-github-actions/run-gemini-cli"],
    run: new RegExp(`${command("gemini").source}|@google/gemini-cli`, "m"),
  },
  { known: TOOLS.aider, actions: [], run: new RegExp(`${command("aider").source}|pip\\S*\\s+install\\s+aider-chat`, "m") },
  { known: TOOLS.cursor, actions: [], run: command("cursor-agent") },
];

const SECRET_REFERENCE =
  /\$\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}|\$\{\{\s*secrets\[\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\]\s*\}\}/g;

/** Secret names referenced anywhere in the value. */
function secretNames(value: unknown, into: Set<string>): void {
  if (typeof value === "string") {
    for (const match of value.matchAll(SECRET_REFERENCE)) into.add(match[1] ?? match[2]!);
  } else if (Array.isArray(value)) value.forEach((item) => secretNames(item, into));
  else if (value !== null && typeof value === "object") Object.values(value).forEach((item) => secretNames(item, into));
}

function agentOf(step: Record<string, unknown>): KnownTool | undefined {
  if (typeof step.uses === "string") {
    const action = step.uses.split("@")[0]!.toLowerCase();
    const byAction = CI_AGENTS.find((agent) => agent.actions.some((known) => action === known || action.startsWith(`${known}/`)));
    if (byAction) return byAction.known;
  }
  if (typeof step.run === "string") return CI_AGENTS.find((agent) => agent.run.test(step.run as string))?.known;
  return undefined;
}

interface TokenReach {
  permissions: Permission[];
  capabilities: string[];
  source: "job" | "workflow" | "default" | "callers";
  written: unknown;
}

const PERMISSION_ORDER: Permission[] = ["READ", "WRITE", "DEPLOY", "ADMIN"];

function tokenReach(jobPermissions: unknown, workflowPermissions: unknown, environment: unknown): TokenReach {
  const source = jobPermissions !== undefined ? "job" : workflowPermissions !== undefined ? "workflow" : "default";
  const written = source === "job" ? jobPermissions : workflowPermissions;
  const granted = new Set<Permission>(["READ"]);
  const capabilities: string[] = [];
  if (source === "default") {
    granted.add("WRITE");
    capabilities.push("uses the repository's default GITHUB_TOKEN permissions (not set in the workflow; assumed read and write)");
  } else if (written === "write-all") {
    granted.add("WRITE").add("DEPLOY");
    capabilities.push("its GITHUB_TOKEN can write every scope (permissions: write-all)", "can mint cloud credentials (id-token: write)");
  } else {
    const scopes = asRecord(written) ?? {};
    for (const [scope, level] of Object.entries(scopes)) {
      if (level !== "write") continue;
      if (scope === "contents") granted.add("WRITE");
      else if (scope === "deployments") granted.add("DEPLOY");
      else if (scope === "id-token") capabilities.push("can mint cloud credentials (id-token: write)");
      else capabilities.push(`its GITHUB_TOKEN can write ${scope}`);
    }
  }
  if (environment !== undefined) {
    granted.add("DEPLOY");
    const name = typeof environment === "string" ? environment : asRecord(environment)?.name;
    capabilities.push(
      clip(`deploys to the environment ${typeof name === "string" ? name : "(named by an expression)"} and gets its secrets`, 300),
    );
  }
  return { permissions: PERMISSION_ORDER.filter((permission) => granted.has(permission)), capabilities, source, written };
}

/** A job of this repository that calls a reusable workflow, and what its GITHUB_TOKEN may do. */
interface Caller {
  workflow: string;
  job: string;
  file: string;
  reach: TokenReach;
}

function workflowNameOf(workflow: Record<string, unknown>, path: string): string {
  return typeof workflow.name === "string" ? workflow.name : path.split("/").pop()!;
}

/** The jobs in the repository's other workflows that call the workflow at `path` (`uses: ./<path>`). */
function callersOf(path: string, context: DetectorContext): Caller[] {
  const callers: Caller[] = [];
  for (const other of context.claimedFiles ?? []) {
    if (other.path === path || !WORKFLOW_FILE.test(other.path)) continue;
    const parsed = parseStructured(other.text, "yaml");
    if (!parsed.ok) continue;
    const workflow = asRecord(parsed.document.value) ?? {};
    for (const [jobId, job] of Object.entries(asRecord(workflow.jobs) ?? {})) {
      const uses = asRecord(job)?.uses;
      if (typeof uses !== "string" || uses.split("@")[0] !== `./${path}`) continue;
      const reach = tokenReach(asRecord(job)!.permissions, workflow.permissions, undefined);
      callers.push({ workflow: workflowNameOf(workflow, other.path), job: jobId, file: other.path, reach });
    }
  }
  return callers;
}

/** What a job gets when it runs with any of these: every permission and capability of each. */
function widest(reaches: TokenReach[], environment: unknown): TokenReach {
  // With the job's own environment, which no caller passes on.
  const all = [...reaches, tokenReach({}, undefined, environment)];
  const granted = new Set(all.flatMap((reach) => reach.permissions));
  const capabilities = [...new Set(all.flatMap((reach) => reach.capabilities))];
  return { permissions: PERMISSION_ORDER.filter((permission) => granted.has(permission)), capabilities, source: "callers", written: null };
}

/**
 * The job's token reach. A reusable workflow that sets no permissions runs with
 * its caller's token, so the callers in this repository decide it (callers in
 * other repositories cannot be seen); run on another trigger too, its own
 * default counts as well.
 */
function reachOf(job: Record<string, unknown>, workflow: Record<string, unknown>, callers: Caller[], triggers: string[]): TokenReach {
  const own = tokenReach(job.permissions, workflow.permissions, job.environment);
  if (own.source !== "default" || callers.length === 0) return own;
  const calledOnly = triggers.length === 1 && triggers[0] === "workflow_call";
  return widest([...(calledOnly ? [] : [own]), ...callers.map((caller) => caller.reach)], job.environment);
}

function jobFootprint(
  jobId: string,
  job: Record<string, unknown>,
  workflow: Record<string, unknown>,
  document: StructuredDocument,
  file: FootprintFile,
  context: DetectorContext,
): Footprint | undefined {
  const steps = Array.isArray(job.steps) ? job.steps : [];
  const agentSteps = steps.flatMap((step, index) => {
    const record = asRecord(step);
    const known = record && agentOf(record);
    return known ? [{ index, step: record, known }] : [];
  });
  if (agentSteps.length === 0) return undefined;

  const secrets = new Set<string>();
  for (const { step } of agentSteps) {
    secretNames(step.with, secrets);
    secretNames(step.env, secrets);
    secretNames(step.run, secrets);
  }
  secretNames(job.env, secrets);
  secretNames(workflow.env, secrets);

  const triggers = workflow.on !== undefined ? triggersOf(workflow.on) : [];
  const callers = triggers.includes("workflow_call") ? callersOf(file.path, context) : [];
  const reach = reachOf(job, workflow, callers, triggers);
  const mintsCredentials = reach.capabilities.some((capability) => capability.includes("id-token"));
  const tools = [...new Set(agentSteps.map(({ known }) => known.tool))];
  const first = agentSteps[0]!.known;
  const workflowName = workflowNameOf(workflow, file.path);
  const capabilities = [...reach.capabilities];
  if (secrets.size > 0) capabilities.push(clip(`is given the secrets ${[...secrets].sort().join(", ")}`, 300));

  return {
    severity: reach.permissions.some((permission) => permission !== "READ") || mintsCredentials ? "HIGH" : "MEDIUM",
    tool: clip(tools.join(", "), 120),
    subject: `jobs.${jobId}`,
    title: clip(`${tools.join(" and ")} runs unattended in workflow "${workflowName}", job ${jobId}`, 300),
    line: document.lineOf(["jobs", jobId]),
    proposal: {
      kind: "CI_BOT",
      name: proposalName(`${first.tool} CI ${jobId}`, context.repository),
      vendor: tools.length === 1 ? first.vendor : undefined,
      product: tools.length === 1 ? first.product : undefined,
      autonomy: "AUTONOMOUS",
      permissions: reach.permissions,
      capabilities: capabilities.slice(0, 20),
    },
    details: {
      workflow: workflowName,
      job: jobId,
      agentSteps: agentSteps.map(({ index, step, known }) => ({
        tool: known.tool,
        line: document.lineOf(["jobs", jobId, "steps", index]),
        ...(typeof step.name === "string" ? { name: step.name } : {}),
        ...(typeof step.uses === "string" ? { uses: step.uses } : { run: clip(String(step.run), 300) }),
      })),
      secrets: [...secrets].sort(),
      permissions: reach.written ?? null,
      permissionsFrom: reach.source,
      ...(reach.source === "default"
        ? {
            note: triggers.includes("workflow_call")
              ? "a reusable workflow with no permissions block, called by no workflow of this repository: its callers' GITHUB_TOKEN permissions apply; READ and WRITE are assumed"
              : "no permissions block: the repository's default GITHUB_TOKEN permissions apply (a repository setting); READ and WRITE are assumed",
          }
        : {}),
      ...(callers.length > 0
        ? {
            calledBy: callers.map((caller) => ({
              workflow: caller.workflow,
              job: caller.job,
              file: caller.file,
              permissions: caller.reach.written ?? null,
              permissionsFrom: caller.reach.source,
            })),
          }
        : {}),
      ...(job.environment !== undefined ? { environment: job.environment } : {}),
      ...(workflow.on !== undefined ? { triggers } : {}),
    },
  };
}

function triggersOf(on: unknown): string[] {
  if (typeof on === "string") return [on];
  if (Array.isArray(on)) return on.filter((item): item is string => typeof item === "string");
  return Object.keys(asRecord(on) ?? {});
}

const WORKFLOW_FILE = /^\.github\/workflows\/[^/]+\.ya?ml$/;

export const ciWorkflowDetector: Detector = {
  id: "ci-workflow",
  claims: (path) => WORKFLOW_FILE.test(path),
  detect(file, context) {
    const parsed = parseStructured(file.text, "yaml");
    if (!parsed.ok) {
      // Only a workflow that mentions an agent is worth a finding when it cannot be read.
      const mentionsAgent = CI_AGENTS.some(
        (agent) => agent.actions.some((action) => file.text.includes(action)) || agent.run.test(file.text),
      );
      return mentionsAgent ? [unparsableFootprint("GitHub Actions workflow", file.path, "yaml", parsed)] : [];
    }
    const workflow = asRecord(parsed.document.value) ?? {};
    const jobs = asRecord(workflow.jobs) ?? {};
    return Object.entries(jobs).flatMap(([jobId, job]) => {
      const record = asRecord(job);
      const footprint = record && jobFootprint(jobId, record, workflow, parsed.document, file, context);
      return footprint ? [footprint] : [];
    });
  },
};
