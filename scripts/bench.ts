// `npm run bench`: measures the inventory over a 100,000-identity database and
// prints numbers (it asserts nothing). It uses its own embedded PostgreSQL
// under .data/bench (or BENCH_DATABASE_URL), loads the large inventory once,
// starts the built app with `next start` on port 3200, and times real HTTP
// requests: the inventory page (signed in) and the list API (bearer token)
// across filters, sorts and deep pages, the review lists, then a CSV export of every row while
// watching the server's memory.

import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "../lib/env";
import { prepareDatabase } from "../lib/db/prepare";
import { buildApp, buildIsCurrent } from "./build-fingerprint";
import { spawnNext } from "./next-command";

const PORT = 3200;
const BASE = `http://localhost:${PORT}`;
const REPEAT = Number(process.env.BENCH_REPEAT ?? 15);

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

async function timed(url: string, headers: Record<string, string>): Promise<{ ms: number; status: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(url, { headers, redirect: "manual" });
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

async function main() {
  const config = parseEnv({
    ...process.env,
    DATABASE_URL: process.env.BENCH_DATABASE_URL,
    WARRANT_DATA_DIR: path.join(".data", "bench"),
    WARRANT_EMBEDDED_PG_PORT: "54360",
  });
  const database = await prepareDatabase(config, console.log);
  const { prisma } = await import("../lib/db/client");
  const { seedLargeInventory } = await import("../lib/demo/seed-large");
  let server: ChildProcess | undefined;
  try {
    await seedLargeInventory(prisma, console.log);
    const identities = await prisma.aiIdentity.count();
    console.log(`Database: ${identities} identities, ${await prisma.credential.count()} credentials, ${await prisma.grant.count()} grants, ${await prisma.system.count()} systems.`);

    // A security lead who can see everything, signed in two ways: a session cookie and an API token.
    const { executeMutation } = await import("../lib/auth/mutation");
    const { createApiToken } = await import("../lib/auth/api-tokens");
    const email = "bench.lead@scale.example.com";
    await prisma.user.upsert({ where: { email }, create: { email, name: "Bench Lead", roles: ["SECURITY_LEAD"] }, update: {} });
    const user = await prisma.user.findUniqueOrThrow({ where: { email } });
    const token = await executeMutation(createApiToken, { kind: "system", label: "bench" }, { userEmail: email, name: `bench ${Date.now()}`, scopes: ["READ"], expiresInDays: 1 });
    const sessionToken = randomBytes(32).toString("base64url");
    await prisma.session.create({ data: { sessionToken, userId: user.id, expires: new Date(Date.now() + 3_600_000) } });
    const pageHeaders = { cookie: `authjs.session-token=${sessionToken}` };
    const apiHeaders = { authorization: `Bearer ${token.secret}` };

    const openReviews = await prisma.review.count({ where: { status: "OPEN" } });
    const overdueReviews = await prisma.review.count({ where: { status: "OPEN", dueAt: { lt: new Date() } } });

    // The cursor for a deep API page: the row 90,000 places into the default order.
    const deep = await prisma.aiIdentity.findFirstOrThrow({ orderBy: [{ name: "asc" }, { id: "asc" }], skip: 90_000, select: { id: true } });

    if (!(await buildIsCurrent())) {
      console.log("Building the app…");
      if ((await buildApp()) !== 0) throw new Error("build failed");
    }
    server = spawnNext(["start", "-p", String(PORT)], {
      env: { ...process.env, DATABASE_URL: database.url, AUTH_SECRET: randomBytes(33).toString("base64"), AUTH_URL: BASE, WARRANT_DEMO: "0", NODE_ENV: "production" },
      stdio: "ignore",
    });
    await waitForServer();

    const pageScenarios = [...SCENARIOS, { name: "deep page (page 900 of 100)", query: "page=900&pageSize=100" }];
    const apiScenarios = [...SCENARIOS, { name: "deep cursor (after row 90,000)", query: `cursor=${deep.id}` }];

    const groups: { title: string; requests: { name: string; url: string; headers: Record<string, string> }[] }[] = [
      {
        title: "Inventory page (GET /inventory, signed in)",
        requests: pageScenarios.map((scenario) => ({ name: scenario.name, url: `${BASE}/inventory?${scenario.query}`, headers: pageHeaders })),
      },
      {
        title: "List API (GET /api/v1/identities?limit=100)",
        requests: apiScenarios.map((scenario) => ({ name: scenario.name, url: `${BASE}/api/v1/identities?limit=100&${scenario.query}`, headers: apiHeaders })),
      },
      {
        title: `Reviews (${openReviews} open, ${overdueReviews} overdue)`,
        requests: [
          { name: "My tasks page (security lead: overdue list)", url: `${BASE}/tasks`, headers: pageHeaders },
          { name: "GET /api/v1/reviews?overdue=1", url: `${BASE}/api/v1/reviews?limit=100&overdue=1`, headers: apiHeaders },
          { name: "GET /api/v1/reviews?status=OPEN", url: `${BASE}/api/v1/reviews?limit=100&status=OPEN`, headers: apiHeaders },
        ],
      },
    ];
    for (const group of groups) {
      console.log(`\n${group.title}, ${REPEAT} requests per scenario after one warm-up:`);
      console.log(`  ${"scenario".padEnd(44)}      p50         p95         max   status`);
      const all: number[] = [];
      for (const request of group.requests) {
        await timed(request.url, request.headers);
        const samples: number[] = [];
        let status = 0;
        for (let i = 0; i < REPEAT; i += 1) {
          const result = await timed(request.url, request.headers);
          samples.push(result.ms);
          status = result.status;
        }
        all.push(...samples);
        const { p50, p95, max } = summary(samples);
        console.log(`  ${request.name.padEnd(44)} ${fmt(p50)} ${fmt(p95)} ${fmt(max)}   ${status}`);
      }
      const overall = summary(all);
      console.log(`  ${"ALL".padEnd(44)} ${fmt(overall.p50)} ${fmt(overall.p95)} ${fmt(overall.max)}`);
    }

    const before = memoryOf(server.pid!);
    const exportRun = await timed(`${BASE}/inventory/export`, pageHeaders);
    const after = memoryOf(server.pid!);
    console.log(`\nCSV export of every identity (GET /inventory/export): ${(exportRun.ms / 1000).toFixed(2)} s, ${(exportRun.bytes / 1_048_576).toFixed(1)} MiB, status ${exportRun.status}`);
    console.log(`  server memory: RSS ${before.rssMb.toFixed(0)} MiB before, ${after.rssMb.toFixed(0)} MiB after; peak ${before.peakMb.toFixed(0)} → ${after.peakMb.toFixed(0)} MiB`);
  } finally {
    server?.kill("SIGTERM");
    await prisma.$disconnect();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
