import autocannon from "autocannon";
import type { Db } from "../lib/db/client";

// The events part of `npm run bench` (`--only events`): POSTs batches of 1,000
// events to /api/v1/events with a real load generator (autocannon) against the
// running production server, reports events stored per second, then walks the
// whole activity chain to show it is intact. Nine in ten events claim the
// ALLOW decision they were given; the tenth claims none and is flagged, so the
// flag rules do real work.

export const EVENTS_PER_BATCH = 1000;

export interface EventsBenchResult {
  connections: number;
  seconds: number;
  batches: number;
  non2xx: number;
  errors: number;
  eventsPerSecond: number;
  batchLatencyMs: { p50: number; p90: number; p99: number; max: number };
  flagsRaised: number;
  chain: { ok: boolean; events: number; verifySeconds: number; detail: string };
}

/** An active identity with an agent token and one ALLOW decision for the call its events report. */
async function reportingAgent(db: Db, base: string) {
  const { executeMutation } = await import("../lib/auth/mutation");
  const { issueAgentToken } = await import("../lib/auth/agent");
  const email = "bench.events.owner@scale.example.com";
  const owner = await db.user.upsert({ where: { email }, create: { email, name: "Bench Events Owner" }, update: {} });
  const name = `bench-events-agent-${Date.now()}`;
  const identity = await db.aiIdentity.create({
    data: {
      name,
      kind: "CODING_AGENT",
      purpose: "Reports tool calls for the events bench",
      environment: "DEV",
      status: "ACTIVE",
      ownerId: owner.id,
      expiresAt: new Date(Date.now() + 90 * 86_400_000),
      nextReviewAt: new Date(Date.now() + 90 * 86_400_000),
    },
  });
  const { secret } = await executeMutation(
    issueAgentToken,
    { kind: "system", label: "bench" },
    { identityId: identity.id, label: "bench" },
  );
  const headers = { authorization: `Bearer ${secret}`, "content-type": "application/json" };
  const call = { name: "Read", arguments: { file_path: "src/index.ts" } };
  const answer = await fetch(`${base}/api/v1/authorize`, {
    method: "POST",
    headers,
    body: JSON.stringify({ action: "call_tool", tool: call }),
  });
  const decision = (await answer.json()) as { decisionId?: string; outcome?: string };
  if (!answer.ok || decision.outcome !== "allow") throw new Error(`the bench's decision was not an allow: ${JSON.stringify(decision)}`);
  return { identityId: identity.id, headers, call, decisionId: decision.decisionId! };
}

export async function benchEvents(
  db: Db,
  base: string,
  options: { connections?: number; seconds?: number } = {},
): Promise<EventsBenchResult> {
  const connections = options.connections ?? 4;
  const seconds = options.seconds ?? 30;
  const { verifyActivityChain } = await import("../lib/events/verify");
  const agent = await reportingAgent(db, base);
  const events = Array.from({ length: EVENTS_PER_BATCH }, (_, index) => ({
    kind: "tool_call",
    tool: agent.call.name,
    arguments: agent.call.arguments,
    ...(index % 10 === 9 ? {} : { decisionId: agent.decisionId }),
    result: "success",
    sessionId: "bench-session",
    detail: { index },
  }));
  const body = JSON.stringify({ events });
  // One warm-up batch, so the route's first compile and connection set-up are not counted.
  const warmUp = await fetch(`${base}/api/v1/events`, { method: "POST", headers: agent.headers, body });
  if (warmUp.status !== 201) throw new Error(`the events endpoint answered ${warmUp.status}: ${await warmUp.text()}`);
  const flagsBefore = await db.activityFlag.count({ where: { identityId: agent.identityId } });

  const result = await autocannon({
    url: `${base}/api/v1/events`,
    method: "POST",
    headers: agent.headers,
    body,
    connections,
    duration: seconds,
    timeout: 60,
  });
  const stored = result["2xx"] * EVENTS_PER_BATCH;
  const flagsRaised = (await db.activityFlag.count({ where: { identityId: agent.identityId } })) - flagsBefore;

  const started = process.hrtime.bigint();
  const chain = await verifyActivityChain(db);
  const verifySeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    connections,
    seconds: result.duration,
    batches: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors,
    eventsPerSecond: stored / result.duration,
    batchLatencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    flagsRaised,
    chain: chain.ok
      ? { ok: true, events: chain.events, verifySeconds, detail: `head #${chain.headSeq} ${chain.headHash}` }
      : { ok: false, events: chain.events, verifySeconds, detail: `broken at #${chain.brokenAtSeq}: ${chain.reason}` },
  };
}

export function printEventsBench(result: EventsBenchResult): void {
  const { p50, p90, p99, max } = result.batchLatencyMs;
  console.log(
    `\nEvents (POST /api/v1/events, batches of ${EVENTS_PER_BATCH.toLocaleString("en")}, ${result.connections} connections, ${result.seconds.toFixed(0)} s, autocannon):`,
  );
  console.log(
    `  ${Math.round(result.eventsPerSecond).toLocaleString("en")} events/s stored (${result.batches} batches; ${result.non2xx} non-2xx, ${result.errors} errors); ${result.flagsRaised.toLocaleString("en")} flags raised`,
  );
  console.log(`  per batch: p50 ${p50} ms, p90 ${p90} ms, p99 ${p99} ms, max ${max} ms`);
  console.log(
    `  chain afterwards: ${result.chain.ok ? "INTACT" : "BROKEN"}, ${result.chain.events.toLocaleString("en")} events verified in ${result.chain.verifySeconds.toFixed(1)} s (${result.chain.detail})`,
  );
}
