import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Checkpoint } from "@/lib/audit/checkpoint";
import { GENESIS_HASH } from "@/lib/audit/hash";
import { AUDIT_EVENTS_FILE, type AuditEventRecord } from "@/lib/evidence/format";
import { createEvidencePackage, jsonLines } from "@/lib/evidence/package-writer";
import { auditEvents, ed25519Keys, signCheckpoint } from "@/lib/evidence/test-helpers";
import { verifyEvidencePackage } from "@/lib/evidence/verify";

// How long a package of a big period takes to write and to verify, and how
// much memory each needs. Run: npx tsx scripts/bench-evidence-format.ts [events]
// (default 1,000,000). The events are generated lazily with a real hash chain,
// so memory shows what the streaming costs, not what the test data costs.
// Prints numbers; it asserts nothing (timings belong in a report, not a test).

const count = Number(process.argv[2] ?? 1_000_000);
const CHECKPOINT_EVERY = 100_000;

let peakRss = 0;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const sampler = setInterval(sampleRss, 100);

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "warrant-bench-package-"));
  const path = join(dir, "package.zip");
  const signer = ed25519Keys();
  const audit = ed25519Keys();
  const checkpoints: Checkpoint[] = [];
  let last: AuditEventRecord | null = null;

  // Wraps the lazy events to sign a checkpoint every CHECKPOINT_EVERY events, as the audit log would have.
  function* withCheckpoints(): Generator<AuditEventRecord> {
    for (const event of auditEvents(count)) {
      if (BigInt(event.seq) % BigInt(CHECKPOINT_EVERY) === 0n) {
        checkpoints.push(signCheckpoint(event, new Date(event.occurredAt), audit.privateKey, audit.publicKey));
      }
      last = event;
      yield event;
    }
  }

  try {
    console.log(`Writing a package of ${count.toLocaleString("en")} audit events to ${path}`);
    sampleRss();
    const baseline = peakRss;
    peakRss = 0;
    let started = performance.now();
    const pkg = createEvidencePackage(createWriteStream(path));
    await pkg.addFile(AUDIT_EVENTS_FILE, jsonLines(withCheckpoints()));
    await pkg.addFile("inventory/identities.csv", "id,name\nidn_1,ci-bot\n");
    const end = last as AuditEventRecord | null;
    if (!end) throw new Error("no events were generated");
    await pkg.finish(
      {
        generatedAt: new Date(),
        generator: { name: "warrant", version: "bench" },
        period: { from: new Date("2026-10-01T00:00:00.000Z"), to: new Date(end.occurredAt) },
        scope: { description: "benchmark" },
        frameworks: [],
        chain: { fromSeq: 1n, toSeq: BigInt(end.seq), startPrevHash: GENESIS_HASH, endHash: end.hash },
        checkpoints,
        auditPublicKey: audit.publicKey,
      },
      signer.privateKey,
    );
    sampleRss();
    const size = (await stat(path)).size;
    console.log(`write:  ${seconds(started)}, peak RSS ${mb(peakRss)} (baseline before writing ${mb(baseline)}), package ${mb(size)}`);

    peakRss = 0;
    started = performance.now();
    const result = await verifyEvidencePackage(path, { trustedKeyIds: [signer.keyId] });
    sampleRss();
    console.log(
      `verify: ${seconds(started)}, peak RSS ${mb(peakRss)}, ok=${result.ok}, events=${result.summary.events}, ` +
        `checkpoints=${result.summary.checkpoints} (${result.summary.checkpointSignatures}), bytes=${mb(result.summary.bytes)} uncompressed`,
    );
    for (const problem of result.problems.slice(0, 5)) console.log(`  problem: ${problem.message}`);
    if (!result.ok) process.exitCode = 1;
  } finally {
    clearInterval(sampler);
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
