import type { Db } from "@/lib/db/client";
import { authorize, type AuthorizeInput } from "@/lib/policy/authorize";

// The demo organisation's runtime decisions: what its agents asked Warrant
// over the last day and a half, judged by the real authorize() with the
// default policies, so the Decisions log, the identity pages and a policy
// replay have something true to show.

type DemoCall = { identity: string; hoursAgo: number } & (
  { system: string; input: Omit<Extract<AuthorizeInput, { systemId: string }>, "systemId"> } | { system?: undefined; input: AuthorizeInput }
);

export const DEMO_CALLS: DemoCall[] = [
  {
    identity: "cursor-web-team",
    hoursAgo: 30,
    input: {
      action: "call_tool",
      tool: { name: "Bash", arguments: { command: "npm test" } },
      taskId: "WEB-412",
      taskIntent: "Fix the failing checkout test",
    },
  },
  {
    identity: "cursor-web-team",
    hoursAgo: 29,
    input: {
      action: "call_tool",
      tool: { name: "Edit", arguments: { file_path: "src/checkout/cart.tsx" } },
      taskId: "WEB-412",
      taskIntent: "Fix the failing checkout test",
    },
  },
  {
    identity: "cursor-web-team",
    hoursAgo: 28,
    input: {
      action: "call_tool",
      tool: { name: "Bash", arguments: { command: "git push --force origin main" } },
      taskId: "WEB-412",
      taskIntent: "Fix the failing checkout test",
    },
  },
  { identity: "cursor-web-team", hoursAgo: 27, system: "github.com/acme/web", input: { action: "write", taskId: "WEB-412" } },
  { identity: "cursor-web-team", hoursAgo: 26, system: "github.com/acme/payments-api", input: { action: "read" } },
  { identity: "renovate-bot", hoursAgo: 20, system: "github.com/acme/web", input: { action: "write", taskIntent: "Bump react to 19.3.1" } },
  {
    identity: "renovate-bot",
    hoursAgo: 19,
    system: "github.com/acme/web",
    input: { action: "deploy", taskIntent: "Bump react to 19.3.1" },
  },
  {
    identity: "claude-code-release-agent",
    hoursAgo: 6,
    system: "k8s-prod",
    input: { action: "deploy", taskId: "REL-88", taskIntent: "Release payments 4.2" },
  },
  {
    identity: "claude-code-release-agent",
    hoursAgo: 5,
    input: {
      action: "call_tool",
      tool: { name: "Bash", arguments: { command: "terraform destroy -auto-approve" } },
      taskId: "REL-88",
      taskIntent: "Release payments 4.2",
    },
  },
  { identity: "slack-triage-bot", hoursAgo: 3, system: "Jira", input: { action: "write", taskIntent: "File the outage ticket" } },
  { identity: "postgres-mcp-payments", hoursAgo: 2, system: "payments-db", input: { action: "read" } },
  {
    identity: "ci-security-scanner",
    hoursAgo: 1,
    input: { action: "call_tool", tool: { name: "Read", arguments: { file_path: "package-lock.json" } } },
  },
];

/** The credential the demo's agents call with, as the decisions record it. */
const DEMO_CREDENTIAL = { kind: "api_token", id: "demo-agent-token" } as const;

export async function seedDemoDecisions(db: Db, now = new Date()): Promise<number> {
  // Each call stores its decision in a transaction of its own, in order: after a start that stopped
  // half-way (lib/demo/seed.ts runs this again then), the calls already decided are the first ones.
  const decided = await db.policyDecision.count({ where: { credentialKind: DEMO_CREDENTIAL.kind, credentialId: DEMO_CREDENTIAL.id } });
  for (const call of DEMO_CALLS.slice(decided)) {
    const identity = await db.aiIdentity.findFirstOrThrow({ where: { name: call.identity }, select: { id: true } });
    const input = call.system
      ? { ...call.input, systemId: (await db.system.findFirstOrThrow({ where: { name: call.system }, select: { id: true } })).id }
      : call.input;
    const at = new Date(now.getTime() - call.hoursAgo * 3600_000);
    await authorize(db, { identityId: identity.id, credential: DEMO_CREDENTIAL }, input, at);
  }
  return DEMO_CALLS.length;
}
