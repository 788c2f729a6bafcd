import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { once } from "node:events";
import { GENESIS_HASH, hashAuditEvent } from "../lib/audit/hash";
import { executeMutation } from "../lib/auth/mutation";
import type { Db } from "../lib/db/client";
import { publishedEvidenceKeys } from "../lib/evidence/keys";
import { requestEvidencePackage } from "../lib/evidence/requests";
import { verifyEvidencePackage } from "../lib/evidence/verify";
import { WORKER_HEAP_FLAG } from "./worker-child";

// Part of `npm run bench` (--only evidence): an evidence package over a period
// holding 1,000,000 audit events. The events are added to the bench database
// once (a valid continuation of its audit chain, spread over the period), the
// package is asked for as a security lead, and built by the evidence.build
// job's code in a process of its own, whose peak memory is what the target is
// about (scripts/bench-evidence-build.ts). The zip is then verified offline.

export const EVIDENCE_EVENTS = 1_000_000;
/** The period the bench's events fill: 120 to 30 days ago, so nothing else the bench writes falls in it. */
const PERIOD_FROM = () => new Date(Date.now() - 120 * 86_400_000);
const PERIOD_TO = () => new Date(Date.now() - 30 * 86_400_000);
const BATCH = 5000;

/** Appends audit events dated inside the period until it holds `count`, continuing the chain under its lock. */
export async function ensurePeriodEvents(
  db: Db,
  count = EVIDENCE_EVENTS,
  log: (line: string) => void = console.log,
): Promise<{ from: Date; to: Date }> {
  // The period is fixed by the first seeding (stored in the events themselves): find it again.
  const marker = await db.auditEvent.findFirst({
    where: { action: "bench.evidence_event" },
    orderBy: { seq: "asc" },
    select: { occurredAt: true },
  });
  const from = marker ? new Date(marker.occurredAt.getTime() - 1000) : PERIOD_FROM();
  const to = marker ? new Date(from.getTime() + 90 * 86_400_000) : PERIOD_TO();
  const have = await db.auditEvent.count({ where: { occurredAt: { gte: from, lt: to } } });
  if (have >= count) return { from, to };
  log(`Adding ${count - have} audit events to the period ${from.toISOString()} – ${to.toISOString()} (once; kept in .data/bench)…`);
  const started = performance.now();
  const span = to.getTime() - from.getTime() - 2000;
  for (let done = have; done < count;) {
    const size = Math.min(BATCH, count - done);
    await db.$transaction(
      async (tx) => {
        const [head] = await tx.$queryRaw<{ seq: bigint; hash: string }[]>`SELECT "seq", "hash" FROM "warrant_audit_chain_head"()`;
        let seq = head?.seq ?? 0n;
        let prevHash = head?.hash ?? GENESIS_HASH;
        const rows: unknown[] = [];
        for (let index = 0; index < size; index += 1) {
          seq += 1n;
          const occurredAt = new Date(from.getTime() + 1000 + Math.floor(((done + index) / count) * span));
          const content = {
            seq,
            occurredAt,
            actorType: "SYSTEM",
            actorId: null,
            actorLabel: "bench",
            action: "bench.evidence_event",
            targetType: "identity",
            targetId: `bench-${(done + index) % 100_000}`,
            data: { n: done + index, note: "synthetic event for the evidence package bench" },
          };
          const hash = hashAuditEvent(prevHash, content);
          rows.push({ ...content, seq: seq.toString(), occurredAt: occurredAt.toISOString(), prevHash, hash });
          prevHash = hash;
        }
        await tx.$executeRaw`
          INSERT INTO "AuditEvent" ("seq", "occurredAt", "actorType", "actorId", "actorLabel", "action", "targetType", "targetId", "data", "prevHash", "hash")
          SELECT e."seq"::bigint, e."occurredAt"::timestamptz, e."actorType"::"ActorType", e."actorId", e."actorLabel", e."action", e."targetType", e."targetId", e."data", e."prevHash", e."hash"
          FROM json_to_recordset(${JSON.stringify(rows)}::json)
            AS e("seq" text, "occurredAt" text, "actorType" text, "actorId" text, "actorLabel" text, "action" text, "targetType" text, "targetId" text, "data" jsonb, "prevHash" text, "hash" text)`;
      },
      { timeout: 120_000 },
    );
    done += size;
    if (done % 100_000 === 0) log(`  ${done} events (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  return { from, to };
}

export interface EvidenceBenchResult {
  events: number;
  buildSeconds: number;
  peakRssMb: number;
  sizeMb: number;
  verifySeconds: number;
  verified: boolean;
  problems: string[];
}

/** Asks for a package of the period as `leadId`, builds it in a child process, downloads and verifies it. */
export async function benchEvidencePackage(
  db: Db,
  databaseUrl: string,
  leadId: string,
  period: { from: Date; to: Date },
): Promise<EvidenceBenchResult> {
  const events = await db.auditEvent.count({ where: { occurredAt: { gte: period.from, lt: period.to } } });
  const lead = await db.user.findUniqueOrThrow({ where: { id: leadId } });
  const requested = await executeMutation(
    requestEvidencePackage,
    { kind: "user", userId: lead.id, label: lead.email, roles: lead.roles },
    {
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      frameworks: ["nist-csf-2.0", "nist-ai-rmf-1.0", "owasp-agentic-top10-2026"],
    },
    db,
  );
  // With the worker's own heap limit (scripts/worker-child.ts), since the worker is what builds packages.
  const child = spawn(process.execPath, [WORKER_HEAP_FLAG, "--import", "tsx", "scripts/bench-evidence-build.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, "exit")) as [number];
  if (code !== 0) throw new Error(`the package build exited with ${code}: ${output}`);
  const built = JSON.parse(output.trim().split("\n").at(-1)!) as { seconds: number; peakRssMb: number; summary: string };
  const evidencePackage = await db.evidencePackage.findUniqueOrThrow({ where: { id: requested.id } });
  if (evidencePackage.status !== "READY") throw new Error(`the package is ${evidencePackage.status}: ${evidencePackage.error}`);

  const dir = await mkdtemp(path.join(tmpdir(), "warrant-bench-evidence-"));
  try {
    const file = path.join(dir, "package.zip");
    const out = createWriteStream(file);
    for (let index = 0; ; index += 1) {
      const chunk = await db.evidenceChunk.findUnique({
        where: { packageId_index: { packageId: requested.id, index } },
        select: { data: true },
      });
      if (!chunk) break;
      if (!out.write(chunk.data)) await once(out, "drain");
    }
    out.end();
    await once(out, "finish");
    const started = performance.now();
    const result = await verifyEvidencePackage(file, { trustedKeyIds: (await publishedEvidenceKeys(db)).keys.map((key) => key.kid) });
    return {
      events,
      buildSeconds: built.seconds,
      peakRssMb: built.peakRssMb,
      sizeMb: Number(evidencePackage.sizeBytes) / 1_048_576,
      verifySeconds: (performance.now() - started) / 1000,
      verified: result.ok,
      problems: result.problems.slice(0, 5).map((problem) => problem.message),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function printEvidenceBench(result: EvidenceBenchResult): void {
  console.log(
    `\nEvidence package over ${result.events} audit events: built in ${result.buildSeconds.toFixed(1)} s, builder's peak RSS ${result.peakRssMb.toFixed(0)} MB, ${result.sizeMb.toFixed(1)} MB zip; verified offline in ${result.verifySeconds.toFixed(1)} s: ${result.verified ? "ok" : `FAILED (${result.problems.join("; ")})`}`,
  );
}
