// `npm run bench`: measures the inventory over a 100,000-identity database and
// prints numbers (it asserts nothing). It uses its own embedded PostgreSQL
// under .data/bench (or BENCH_DATABASE_URL), loads the large inventory once,
// starts the built app with `next start` on port 3200, and times real HTTP
// requests: the inventory page (signed in) and the list API (bearer token)
// across filters, sorts and deep pages, the review lists and My tasks, the
// dashboard, the approvals (inboxes, lists, a request's page, and deciding
// fresh requests through the API), a few hundred randomised filter
// combinations (one client, then four at once), then a CSV export of every row
// while watching the server's memory.
//
// `--runs N` repeats all of it N times, each against a freshly started server
// (every run is cold: one request per scenario warms it, no more), and prints
// the runs side by side; `--json FILE` writes every number for a note to
// tabulate; `--only fixed|random|export|approvals|events|authorize|controls|evidence|lifecycle|campaigns|discovery` (repeatable)
// measures a part (fixed includes the approvals' lists; approvals is those and
// deciding; events is batches of activity events, scripts/bench-events.ts;
// authorize is the authorize API under load, Cedar alone beside it and the JIT
// round trip, scripts/bench-authorize.ts; those two need no large inventory;
// controls is a run of every control over the inventory and the Controls and
// Frameworks pages, scripts/bench-controls.ts; evidence is a package over a
// period of 1,000,000 audit events built in a process of its own,
// scripts/bench-evidence.ts; lifecycle is the daily review, reminder,
// suspension, expiry and digest sweeps over a fresh copy of the inventory,
// scripts/bench-lifecycle.ts; campaigns is starting a review campaign over about
// 10,000 identities, scripts/bench-campaigns.ts; discovery is the repository
// scanner over a generated 10,000-file checkout, scripts/bench-discovery.ts,
// which needs neither the database nor the server: `--only discovery` starts
// neither).
// The machine's load average is printed with each run: on a shared machine it
// says how far to trust the numbers.

import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { parseEnv } from "../lib/env";
import { prepareDatabase } from "../lib/db/prepare";
import { buildApp, buildIsCurrent } from "./build-fingerprint";
import { spawnProductionServer } from "./next-command";
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { filterCombinations } from "./bench-combinations";
import { Prisma } from "../lib/db/generated/client";
import { benchEvents, printEventsBench, type EventsBenchResult } from "./bench-events";
import { benchAuthorize, printAuthorizeBench, type AuthorizeBenchResult } from "./bench-authorize";
// Loaded once the database is prepared (inside main): they reach the database client, which reads DATABASE_URL when loaded.
import type { ControlsBenchResult } from "./bench-controls";
import type { EvidenceBenchResult } from "./bench-evidence";
import type { LifecycleBenchResult } from "./bench-lifecycle";
import type { CampaignsBenchResult } from "./bench-campaigns";
import { benchDiscovery, printDiscoveryBench } from "./bench-discovery";

const PORT = 3200;
const BASE = `http://localhost:${PORT}`;
const REPEAT = Number(process.env.BENCH_REPEAT ?? 15);
/**
 * Decisions timed per kind and run. More than REPEAT: each is a fresh request on another identity, and
 * with 15 samples the nearest-rank p95 is the slowest one, so one pause decided the whole figure.
 */
const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 40);
/** The seed of the randomised combinations: change it and runs stop being comparable. */
const COMBINATION_SEED = 8;

const options = parseArgs({
  options: {
    runs: { type: "string", default: "1" },
    json: { type: "string" },
    only: { type: "string", multiple: true },
    combinations: { type: "string", default: "300" },
  },
}).values;
const RUNS = Number(options.runs);
const COMBINATIONS = Number(options.combinations);
const ALL_PARTS = [
  "fixed",
  "random",
  "export",
  "approvals",
  "events",
  "authorize",
  "controls",
  "evidence",
  "lifecycle",
  "campaigns",
  "discovery",
];
const PARTS = new Set(options.only ?? ALL_PARTS);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error("--runs must be a whole number, 1 or more");
if (!Number.isInteger(COMBINATIONS) || COMBINATIONS < 1) throw new Error("--combinations must be a whole number, 1 or more");
for (const part of PARTS) if (!ALL_PARTS.includes(part)) throw new Error(`--only takes ${ALL_PARTS.join(", ")}, not ${part}`);
/** The runtime parts (events, authorize) run without the 100,000-identity inventory. */
const NEEDS_INVENTORY = [...PARTS].some((part) => part !== "events" && part !== "authorize" && part !== "discovery");
/** Discovery scans a generated checkout on disk: alone, it needs neither the bench database nor the server. */
const NEEDS_DATABASE = [...PARTS].some((part) => part !== "discovery");

const SCENARIOS: { name: string; query: string }[] = [
  { name: "first page, sort by name", query: "" },
  { name: "status=ACTIVE", query: "status=ACTIVE" },
  { name: "prod + high/critical + review overdue", query: "environment=PROD&risk=HIGH,CRITICAL&reviewOverdue=1" },
  { name: "search q=claude", query: "q=claude" },
  { name: "search q=deploys (purpose)", query: "q=deploys" },
  { name: "sort by owner desc", query: "sort=owner&dir=desc" },
  { name: "sort by expiry", query: "sort=expiresAt" },
  { name: "team + kind", query: "teamId=scale-team-7&kind=CODING_AGENT" },
  { name: "has long-lived credential", query: "longLivedCredential=1" },
  { name: "expires within 30 days", query: "expiresWithinDays=30" },
  { name: "orphaned", query: "orphaned=1" },
  { name: "credential age 365+", query: "credentialAge=365%2B" },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1)! };
}

const fmt = (ms: number) => `${ms.toFixed(1).padStart(7)} ms`;
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");

async function timed(
  url: string,
  headers: Record<string, string>,
  send: { method?: string; body?: string } = {},
): Promise<{ ms: number; status: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(url, { headers, redirect: "manual", ...send });
  const body = await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status, bytes: body.byteLength };
}

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(status.match(new RegExp(`${key}:\\s+(\\d+)`))?.[1] ?? 0);
  return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
}

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 120; i += 1) {
    try {
      if ((await fetch(`${BASE}/api/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("the app did not start");
}

interface Request {
  url: string;
  headers: Record<string, string>;
  /** A POST (deciding a request); GET without. */
  method?: string;
  body?: string;
}

/**
 * Writes every changed page to disk before anything is timed. A freshly loaded inventory leaves
 * its pages dirty in PostgreSQL's cache (the embedded server's holds all of it), and the
 * checkpointer would otherwise write them (over a gigabyte) during the first runs. Needs a
 * superuser or pg_checkpoint (the embedded server's owner URL is one); without it, says so.
 */
async function checkpoint(ownerUrl: string) {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const started = performance.now();
    await client.query("CHECKPOINT");
    console.log(`Checkpoint before the runs: ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  } catch (error) {
    console.log(
      `No checkpoint before the runs (${error instanceof Error ? error.message : String(error)}): a fresh load may still be writing.`,
    );
  } finally {
    await client.end();
  }
}

/** One line of the results: a scenario's samples summarised. */
interface Result {
  group: string;
  name: string;
  requests: number;
  p50: number;
  p95: number;
  max: number;
  /** Every status seen, with how often: a 500 is not a fast answer. */
  statuses: Record<string, number>;
  /** Each request's time in the order it finished (JSON only): shows whether the slow ones came first, while the server warmed up. */
  samples: number[];
}

/**
 * Times `requests` with `clients` of them in flight at once, after one
 * warm-up request (`warmUp`) so that the server's first-ever request for the
 * route is not counted.
 */
async function measure(
  group: string,
  name: string,
  warmUp: Request,
  requests: Request[],
  clients: number,
): Promise<{ result: Result; samples: number[] }> {
  await timed(warmUp.url, warmUp.headers, { method: warmUp.method, body: warmUp.body });
  const samples: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < requests.length) {
        const request = requests[next++]!;
        const result = await timed(request.url, request.headers, { method: request.method, body: request.body });
        samples.push(result.ms);
        statuses[result.status] = (statuses[result.status] ?? 0) + 1;
      }
    }),
  );
  const result = {
    group,
    name,
    requests: samples.length,
    ...summary(samples),
    statuses,
    samples: samples.map((ms) => Math.round(ms * 10) / 10),
  };
  const statusText = Object.entries(statuses)
    .map(([status, count]) => (Object.keys(statuses).length > 1 ? `${status}×${count}` : status))
    .join(" ");
  console.log(`  ${name.padEnd(46)} ${fmt(result.p50)} ${fmt(result.p95)} ${fmt(result.max)}   ${statusText}`);
  return { result, samples };
}

function printHeader(title: string) {
  console.log(`\n${title}`);
  console.log(`  ${"scenario".padEnd(46)}      p50         p95         max   status`);
}

interface Run {
  run: number;
  loadBefore: string;
  loadAfter: string;
  results: Result[];
  export?: { seconds: number; mib: number; status: number; rssBeforeMb: number; rssAfterMb: number; peakMb: number };
  events?: EventsBenchResult;
  authorize?: AuthorizeBenchResult;
  controls?: ControlsBenchResult;
  evidence?: EvidenceBenchResult;
  lifecycle?: LifecycleBenchResult;
  campaigns?: CampaignsBenchResult;
}

/** The runs side by side: p50 / p95 of each scenario in each run. */
function printSideBySide(runs: Run[]) {
  console.log(`\n${runs.length} runs side by side (p50 / p95, ms); load average (1, 5, 15 min) at each run's start:`);
  console.log(`  ${"".padEnd(60)} ${runs.map((run) => `run ${run.run} (${run.loadBefore})`.padEnd(24)).join(" ")}`);
  for (const [index, result] of runs[0]!.results.entries()) {
    const cells = runs.map((run) => {
      const same = run.results[index]!;
      return `${same.p50.toFixed(0).padStart(6)} / ${same.p95.toFixed(0).padStart(6)}`.padEnd(24);
    });
    console.log(`  ${`${result.group}: ${result.name}`.slice(0, 60).padEnd(60)} ${cells.join(" ")}`);
  }
  if (runs[0]!.controls)
    console.log(
      `  ${"Control run over the inventory (s)".padEnd(60)} ${runs.map((run) => `${run.controls!.runSeconds.toFixed(2)}`.padEnd(24)).join(" ")}`,
    );
  if (runs[0]!.campaigns)
    console.log(
      `  ${"Campaign start over ~10,000 identities (s)".padEnd(60)} ${runs
        .map((run) => `${run.campaigns!.seconds.toFixed(2)} (${run.campaigns!.query})`.padEnd(24))
        .join(" ")}`,
    );
  if (runs[0]!.evidence)
    console.log(
      `  ${"Evidence package: build s / peak RSS MB / verify s".padEnd(60)} ${runs
        .map((run) =>
          `${run.evidence!.buildSeconds.toFixed(1)} / ${run.evidence!.peakRssMb.toFixed(0)} / ${run.evidence!.verifySeconds.toFixed(1)}`.padEnd(
            24,
          ),
        )
        .join(" ")}`,
    );
  if (runs[0]!.lifecycle)
    console.log(
      `  ${"Lifecycle sweeps: backlog / again / next day (s)".padEnd(60)} ${runs
        .map((run) =>
          `${run.lifecycle!.backlogSeconds.toFixed(1)} / ${run.lifecycle!.againSeconds.toFixed(2)} / ${run.lifecycle!.nextDaySeconds.toFixed(1)}`.padEnd(
            24,
          ),
        )
        .join(" ")}`,
    );
  if (runs[0]!.export)
    console.log(
      `  ${"CSV export of every identity (s)".padEnd(60)} ${runs.map((run) => `${run.export!.seconds.toFixed(2)}`.padEnd(24)).join(" ")}`,
    );
}

type Group = { title: string; requests: (Request & { name: string })[] };
type Db = typeof import("../lib/db/client").prisma;

/** A person signed in both ways: a session cookie for pages and an API token (READ, and WRITE to decide). */
async function signIn(db: Db, email: string, scopes: ("READ" | "WRITE")[]) {
  const { executeMutation } = await import("../lib/auth/mutation");
  const { createApiToken } = await import("../lib/auth/api-tokens");
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  const token = await executeMutation(
    createApiToken,
    { kind: "system", label: "bench" },
    { userEmail: email, name: `bench ${Date.now()}`, scopes, expiresInDays: 1 },
  );
  const sessionToken = randomBytes(32).toString("base64url");
  await db.session.create({ data: { sessionToken, userId: user.id, expires: new Date(Date.now() + 6 * 3_600_000) } });
  return { user, pageHeaders: { cookie: `authjs.session-token=${sessionToken}` }, apiHeaders: { authorization: `Bearer ${token.secret}` } };
}

/**
 * The approvals' lists as the people who use them: the inbox (page and API) of
 * the bench's security lead and of the system owner with the most requests
 * waiting, one's own requests, all pending, the history, a request's page and
 * the inbox's second page.
 */
async function approvalsGroup(db: Db, lead: Awaited<ReturnType<typeof signIn>>): Promise<Group> {
  const [busiest] = await db.$queryRaw<{ email: string; waiting: number }[]>`
    SELECT u."email", count(*)::int AS "waiting" FROM "ApprovalRequest" r
    JOIN "System" s ON s."id" = r."systemId" JOIN "User" u ON u."id" IN (s."ownerId", s."backupOwnerId")
    WHERE r."waitingFor" = 'system_owner' AND u."id" <> r."requesterId" AND u."active"
    GROUP BY u."email" ORDER BY 2 DESC, 1 LIMIT 1`;
  if (!busiest) throw new Error("no approval request waits for a system owner: delete .data/bench and run the bench again to load them");
  const owner = await signIn(db, busiest.email, ["READ"]);
  const { countWaitingFor } = await import("../lib/approvals/queries");
  const leadWaiting = await countWaitingFor(db, { kind: "user", userId: lead.user.id, label: lead.user.email, roles: lead.user.roles });
  const pending = await db.approvalRequest.count({ where: { status: "PENDING" } });
  const total = await db.approvalRequest.count();
  const page = await db.approvalRequest.findFirstOrThrow({
    where: { status: "PENDING", waitingFor: "role:SECURITY_LEAD" },
    select: { id: true },
  });
  const waitingSecond = await db.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "ApprovalRequest" WHERE "waitingFor" = 'role:SECURITY_LEAD' ORDER BY "createdAt", "id" OFFSET 99 LIMIT 1`;
  const api = `${BASE}/api/v1/approval-requests?limit=100`;
  console.log(
    `Approvals: ${total} requests, ${pending} pending; ${leadWaiting} wait for the bench's lead, ${busiest.waiting} for the system owner ${busiest.email}.`,
  );
  return {
    title: "Approvals",
    requests: [
      { name: "Approvals page (waiting for me)", url: `${BASE}/approvals`, headers: lead.pageHeaders },
      { name: "Approvals page (waiting: system owner)", url: `${BASE}/approvals`, headers: owner.pageHeaders },
      { name: "GET approval-requests?view=waiting (lead)", url: `${api}&view=waiting`, headers: lead.apiHeaders },
      {
        name: "GET approval-requests?view=waiting, page 2 (lead)",
        url: `${api}&view=waiting&cursor=${waitingSecond[0]!.id}`,
        headers: lead.apiHeaders,
      },
      { name: "GET approval-requests?view=waiting (system owner)", url: `${api}&view=waiting`, headers: owner.apiHeaders },
      { name: "GET approval-requests?view=mine (system owner)", url: `${api}&view=mine`, headers: owner.apiHeaders },
      { name: "Approvals page (mine: system owner)", url: `${BASE}/approvals?view=mine`, headers: owner.pageHeaders },
      { name: "GET approval-requests?view=all&status=PENDING", url: `${api}&view=all&status=PENDING`, headers: lead.apiHeaders },
      { name: "GET approval-requests?view=all&status=REJECTED", url: `${api}&view=all&status=REJECTED`, headers: lead.apiHeaders },
      { name: "GET approval-requests?view=history", url: `${api}&view=history`, headers: lead.apiHeaders },
      { name: "Approvals page (history)", url: `${BASE}/approvals?view=history`, headers: lead.pageHeaders },
      { name: "Request page (GET /approvals/{id})", url: `${BASE}/approvals/${page.id}`, headers: lead.pageHeaders },
      { name: "GET approval-requests/{id}", url: `${BASE}/api/v1/approval-requests/${page.id}`, headers: lead.apiHeaders },
    ],
  };
}

/**
 * Deciding through the API as the bench's security lead, each decision on a
 * request nobody decided in an earlier run (a person decides a request once):
 * approvals that only move a request to its next level, approvals of the last
 * level (the grant is applied in the same transaction), and rejections. Each
 * run takes its own requests, `perRun` of each kind (the first warms up).
 */
async function decidingPools(db: Db, lead: { user: { id: string } }, perRun: number) {
  const pool = async (where: Prisma.Sql, label: string) => {
    const rows = await db.$queryRaw<{ id: string }[]>`
      SELECT r."id" FROM "ApprovalRequest" r
      JOIN "AiIdentity" i ON i."id" = r."identityId" JOIN "User" u ON u."id" = r."requesterId"
      WHERE r."waitingFor" = 'role:SECURITY_LEAD' AND r."expiresAt" > now() AND r."requesterId" <> ${lead.user.id}
        AND NOT EXISTS (SELECT 1 FROM "ApprovalDecision" d WHERE d."requestId" = r."id" AND d."deciderId" = ${lead.user.id})
        AND ${where}
      ORDER BY r."createdAt", r."id" LIMIT ${perRun * RUNS}`;
    if (rows.length < perRun * RUNS)
      throw new Error(`only ${rows.length} fresh requests to ${label} left (need ${perRun * RUNS}): delete .data/bench to load fresh ones`);
    return rows.map((row) => row.id);
  };
  const sql = Prisma.sql;
  return {
    advance: await pool(sql`r."waitingLevel" < jsonb_array_length(r."levels") - 1`, "advance"),
    // Grants of identities in service asked by active people: the change applies when the last level approves.
    apply: await pool(
      sql`r."waitingLevel" = jsonb_array_length(r."levels") - 1 AND r."mutation" = 'grants.create'
          AND i."status" IN ('PROPOSED', 'ACTIVE', 'SUSPENDED') AND u."active"`,
      "apply",
    ),
    reject: await pool(sql`r."mutation" <> 'grants.create'`, "reject"),
  };
}

function decidingGroup(
  pools: Awaited<ReturnType<typeof decidingPools>>,
  run: number,
  perRun: number,
  headers: Record<string, string>,
): (Request & { name: string })[][] {
  const slice = (ids: string[]) => ids.slice((run - 1) * perRun, run * perRun);
  const post = (id: string, verdict: "approve" | "reject") => ({
    url: `${BASE}/api/v1/approval-requests/${id}/${verdict}`,
    headers: { ...headers, "content-type": "application/json" },
    method: "POST",
    body: JSON.stringify(verdict === "reject" ? { comment: "Not without a time limit (bench)." } : { comment: "ok" }),
  });
  return [
    slice(pools.advance).map((id) => ({ ...post(id, "approve"), name: "approve, moves to the next level" })),
    slice(pools.apply).map((id) => ({ ...post(id, "approve"), name: "approve the last level (applies the grant)" })),
    slice(pools.reject).map((id) => ({ ...post(id, "reject"), name: "reject (closes the request)" })),
  ];
}

async function main() {
  if (PARTS.has("discovery")) {
    const discovery = await benchDiscovery(RUNS);
    printDiscoveryBench(discovery);
    if (!NEEDS_DATABASE) {
      if (options.json) writeFileSync(options.json, `${JSON.stringify({ at: new Date().toISOString(), discovery }, null, 2)}\n`);
      return;
    }
  }
  const config = parseEnv({
    ...process.env,
    DATABASE_URL: process.env.BENCH_DATABASE_URL,
    WARRANT_DATA_DIR: path.join(".data", "bench"),
    WARRANT_EMBEDDED_PG_PORT: "54360",
  });
  const database = await prepareDatabase(config, console.log);
  const { prisma, createPrismaClient } = await import("../lib/db/client");
  const { seedLargeInventory } = await import("../lib/demo/seed-large");
  const { benchControlRun, printControlsBench } = await import("./bench-controls");
  const { benchEvidencePackage, ensurePeriodEvents, printEvidenceBench } = await import("./bench-evidence");
  const { benchLifecycleSweeps, printLifecycleBench } = await import("./bench-lifecycle");
  const { benchCampaignStart, printCampaignsBench } = await import("./bench-campaigns");
  let server: ChildProcess | undefined;
  const stopServer = async () => {
    if (!server || server.exitCode !== null) return;
    const exited = new Promise((resolve) => server!.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  };
  try {
    const owner = createPrismaClient(database.ownerUrl);
    if (NEEDS_INVENTORY) await seedLargeInventory(prisma, console.log, undefined, owner).finally(() => owner.$disconnect());
    else await owner.$disconnect();
    const identities = await prisma.aiIdentity.count();
    console.log(
      `Database: ${identities} identities, ${await prisma.credential.count()} credentials, ${await prisma.grant.count()} grants, ${await prisma.system.count()} systems.`,
    );

    // A security lead who can see everything, signed in two ways: a session cookie and an API token (which also decides).
    const email = "bench.lead@scale.example.com";
    await prisma.user.upsert({ where: { email }, create: { email, name: "Bench Lead", roles: ["SECURITY_LEAD"] }, update: {} });
    const lead = await signIn(prisma, email, ["READ", "WRITE"]);
    const { pageHeaders, apiHeaders } = lead;

    const openReviews = await prisma.review.count({ where: { status: "OPEN" } });
    const overdueReviews = await prisma.review.count({ where: { status: "OPEN", dueAt: { lt: new Date() } } });

    // The cursor for a deep API page: the row 90,000 places into the default order.
    const deep = NEEDS_INVENTORY
      ? await prisma.aiIdentity.findFirstOrThrow({ orderBy: [{ name: "asc" }, { id: "asc" }], skip: 90_000, select: { id: true } })
      : { id: "" };

    if (!(await buildIsCurrent())) {
      console.log("Building the app…");
      if ((await buildApp()) !== 0) throw new Error("build failed");
    }

    const pageScenarios = [...SCENARIOS, { name: "deep page (page 900 of 100)", query: "page=900&pageSize=100" }];
    const apiScenarios = [...SCENARIOS, { name: "deep cursor (after row 90,000)", query: `cursor=${deep.id}` }];
    const fixedGroups: Group[] = [
      {
        title: "Inventory page (GET /inventory, signed in)",
        requests: pageScenarios.map((scenario) => ({
          name: scenario.name,
          url: `${BASE}/inventory?${scenario.query}`,
          headers: pageHeaders,
        })),
      },
      {
        title: "List API (GET /api/v1/identities?limit=100)",
        requests: apiScenarios.map((scenario) => ({
          name: scenario.name,
          url: `${BASE}/api/v1/identities?limit=100&${scenario.query}`,
          headers: apiHeaders,
        })),
      },
      {
        title: `Reviews (${openReviews} open, ${overdueReviews} overdue)`,
        requests: [
          { name: "My tasks page (security lead: overdue list)", url: `${BASE}/tasks`, headers: pageHeaders },
          { name: "GET /api/v1/reviews?overdue=1", url: `${BASE}/api/v1/reviews?limit=100&overdue=1`, headers: apiHeaders },
          { name: "GET /api/v1/reviews?status=OPEN", url: `${BASE}/api/v1/reviews?limit=100&status=OPEN`, headers: apiHeaders },
        ],
      },
      {
        title: "Other pages",
        requests: [{ name: "Dashboard (GET /, every count)", url: `${BASE}/`, headers: pageHeaders }],
      },
    ];
    // The Controls and Frameworks pages read the controls' results: a run must exist first.
    if (PARTS.has("controls") && (await prisma.controlRun.count()) === 0) {
      console.log("Running the controls once, so their pages have results…");
      printControlsBench(await benchControlRun(prisma));
    }
    const frameworkIds = (
      await prisma.framework.findMany({ where: { builtIn: true }, orderBy: { position: "asc" }, select: { id: true } })
    ).map((framework) => framework.id);
    const controlsGroup: Group = {
      title: "Controls and frameworks pages (signed in)",
      requests: [
        { name: "Controls (GET /controls)", url: `${BASE}/controls`, headers: pageHeaders },
        { name: "a failing control (GET /controls/identity.owner)", url: `${BASE}/controls/identity.owner`, headers: pageHeaders },
        ...frameworkIds.flatMap((id) => [
          { name: `Framework ${id}`, url: `${BASE}/controls/frameworks/${id}`, headers: pageHeaders },
          { name: `Framework ${id}, gaps`, url: `${BASE}/controls/frameworks/${id}?view=gaps`, headers: pageHeaders },
        ]),
      ],
    };
    const evidencePeriod = PARTS.has("evidence") ? await ensurePeriodEvents(prisma) : undefined;

    // Four disjoint slices of combinations, so no scenario repeats a URL another one asked.
    const combinations = filterCombinations(4 * COMBINATIONS, COMBINATION_SEED);
    const slice = (index: number) => combinations.slice(index * COMBINATIONS, (index + 1) * COMBINATIONS);
    const randomScenarios: { name: string; clients: number; combos: string[]; to: (query: string) => Request }[] = [
      {
        name: "list API, 1 client",
        clients: 1,
        combos: slice(0),
        to: (query: string) => ({ url: `${BASE}/api/v1/identities?limit=100&${query}`, headers: apiHeaders }),
      },
      {
        name: "list API, 4 clients",
        clients: 4,
        combos: slice(1),
        to: (query: string) => ({ url: `${BASE}/api/v1/identities?limit=100&${query}`, headers: apiHeaders }),
      },
      {
        name: "inventory page, 1 client",
        clients: 1,
        combos: slice(2),
        to: (query: string) => ({ url: `${BASE}/inventory?${query}`, headers: pageHeaders }),
      },
      {
        name: "inventory page, 4 clients",
        clients: 4,
        combos: slice(3),
        to: (query: string) => ({ url: `${BASE}/inventory?${query}`, headers: pageHeaders }),
      },
    ];

    const approvalViews = PARTS.has("fixed") || PARTS.has("approvals") ? await approvalsGroup(prisma, lead) : undefined;
    const pools = PARTS.has("approvals") ? await decidingPools(prisma, lead, DECISIONS + 1) : undefined;

    await checkpoint(database.ownerUrl);

    const runs: Run[] = [];
    for (let number = 1; number <= RUNS; number += 1) {
      const run: Run = { run: number, loadBefore: load(), loadAfter: "", results: [] };
      console.log(`\n=== Run ${number} of ${RUNS}: a freshly started server; load average ${run.loadBefore} ===`);
      // Rate limits off: the bench is one token and one person asking far faster than any real client.
      // The production server as `npm start` runs it (scripts/server.ts), runtime listener included.
      server = spawnProductionServer(
        { port: PORT },
        {
          env: {
            ...process.env,
            DATABASE_URL: database.url,
            AUTH_SECRET: randomBytes(33).toString("base64"),
            AUTH_URL: BASE,
            WARRANT_DEMO: "0",
            NODE_ENV: "production",
            WARRANT_RATE_LIMIT_API: "0",
            WARRANT_RATE_LIMIT_EXPORT: "0",
            WARRANT_RATE_LIMIT_AGENT: "0",
            // Production refuses to issue just-in-time tokens without it (lib/env.ts, jitSigningKeySecret). The same
            // one every run: the bench database keeps the signing key it encrypted, which another secret cannot open.
            WARRANT_SIGNING_KEY_SECRET: "bench-only signing key secret, not for any real deployment",
          },
          // Its errors show beside the numbers: a crash or a failed request under load is part of the result.
          stdio: ["ignore", "ignore", "inherit"],
        },
      );
      await waitForServer();
      const groups = [
        ...(PARTS.has("fixed") ? fixedGroups : []),
        ...(approvalViews ? [approvalViews] : []),
        ...(PARTS.has("controls") ? [controlsGroup] : []),
      ];
      for (const group of groups) {
        printHeader(`${group.title}, ${REPEAT} requests per scenario after one warm-up:`);
        const all: number[] = [];
        for (const request of group.requests) {
          const { result, samples } = await measure(group.title, request.name, request, Array(REPEAT).fill(request), 1);
          run.results.push(result);
          all.push(...samples);
        }
        const overall = summary(all);
        console.log(`  ${"ALL".padEnd(46)} ${fmt(overall.p50)} ${fmt(overall.p95)} ${fmt(overall.max)}`);
      }
      if (pools) {
        printHeader(
          `Deciding (POST /api/v1/approval-requests/{id}/approve|reject as the security lead), ${DECISIONS} fresh requests each after one warm-up:`,
        );
        for (const requests of decidingGroup(pools, number, DECISIONS + 1, apiHeaders)) {
          const [warmUp, ...timedRequests] = requests;
          run.results.push((await measure("Deciding", warmUp!.name, warmUp!, timedRequests, 1)).result);
          // What the decisions did, from the database: a decision that failed to apply is not a fast decision.
          const outcomes = await prisma.approvalRequest.groupBy({
            by: ["status"],
            where: { id: { in: requests.map((request) => request.url.split("/").at(-2)!) } },
            _count: { _all: true },
          });
          console.log(`    requests now: ${outcomes.map((row) => `${row.status} ${row._count._all}`).join(", ")}`);
        }
      }
      if (PARTS.has("random")) {
        printHeader(
          `Random filter combinations (2–5 filters, a sort and a direction, seed ${COMBINATION_SEED}), ${COMBINATIONS} distinct ones per scenario, each asked once, after one warm-up:`,
        );
        for (const scenario of randomScenarios) {
          const warmUp = scenario.to("");
          run.results.push(
            (await measure("Random combinations", scenario.name, warmUp, scenario.combos.map(scenario.to), scenario.clients)).result,
          );
        }
      }
      if (PARTS.has("export")) {
        const before = memoryOf(server.pid!);
        const exportRun = await timed(`${BASE}/inventory/export`, pageHeaders);
        const after = memoryOf(server.pid!);
        run.export = {
          seconds: exportRun.ms / 1000,
          mib: exportRun.bytes / 1_048_576,
          status: exportRun.status,
          rssBeforeMb: before.rssMb,
          rssAfterMb: after.rssMb,
          peakMb: after.peakMb,
        };
        console.log(
          `\nCSV export of every identity (GET /inventory/export): ${run.export.seconds.toFixed(2)} s, ${run.export.mib.toFixed(1)} MiB, status ${exportRun.status}`,
        );
        console.log(
          `  server memory: RSS ${before.rssMb.toFixed(0)} MiB before, ${after.rssMb.toFixed(0)} MiB after; peak ${before.peakMb.toFixed(0)} → ${after.peakMb.toFixed(0)} MiB`,
        );
      }
      if (PARTS.has("events")) {
        run.events = await benchEvents(prisma, BASE);
        printEventsBench(run.events);
      }
      if (PARTS.has("authorize")) {
        run.authorize = await benchAuthorize(prisma, BASE);
        printAuthorizeBench(run.authorize);
      }
      if (PARTS.has("controls")) {
        run.controls = await benchControlRun(prisma);
        printControlsBench(run.controls);
      }
      if (PARTS.has("campaigns")) {
        const leadActor = { kind: "user" as const, userId: lead.user.id, label: lead.user.email, roles: lead.user.roles };
        run.campaigns = await benchCampaignStart(prisma, leadActor, number);
        printCampaignsBench(run.campaigns);
      }
      if (evidencePeriod) {
        run.evidence = await benchEvidencePackage(prisma, database.url, lead.user.id, evidencePeriod);
        printEvidenceBench(run.evidence);
      }
      await stopServer();
      if (PARTS.has("lifecycle")) {
        // The sweeps run on a copy of the database, which needs nothing connected to it.
        await prisma.$disconnect();
        run.lifecycle = await benchLifecycleSweeps(database.ownerUrl, database.url);
        printLifecycleBench(run.lifecycle);
      }
      run.loadAfter = load();
      console.log(`Load average at the end of run ${number}: ${run.loadAfter}`);
      runs.push(run);
    }

    if (runs.length > 1) printSideBySide(runs);
    if (options.json) {
      writeFileSync(
        options.json,
        `${JSON.stringify({ at: new Date().toISOString(), repeat: REPEAT, decisions: DECISIONS, combinations: COMBINATIONS, seed: COMBINATION_SEED, runs }, null, 2)}\n`,
      );
      console.log(`\nWrote ${options.json}.`);
    }
  } finally {
    await stopServer();
    await prisma.$disconnect();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
