import { auditSigningKey, writeCheckpoint } from "../lib/audit/checkpoint";
import { executeMutation } from "../lib/auth/mutation";
import { CONTROLS } from "../lib/controls/library";
import { runControls } from "../lib/controls/run";
import type { Db } from "../lib/db/client";

// Part of `npm run bench` (--only controls): one run of every control over the
// bench's 100,000-identity inventory, as the daily job makes it (one
// transaction, every result and failing object written), and each control's
// check timed alone beside it, so a slow control shows by name. The Controls
// and Frameworks pages are timed over HTTP with the other pages (bench.ts).

export interface ControlsBenchResult {
  runSeconds: number;
  summary: string;
  checks: { key: string; ms: number; outcome: string }[];
}

export async function benchControlRun(db: Db): Promise<ControlsBenchResult> {
  // The audit.checkpoint job signs the head every ten minutes; without a checkpoint the audit-chain control does not apply.
  const key = auditSigningKey();
  if (key) await writeCheckpoint(db, key);
  const checks: ControlsBenchResult["checks"] = [];
  const now = new Date();
  for (const control of CONTROLS) {
    const started = performance.now();
    const outcome = await control.check({ db, now });
    checks.push({
      key: control.key,
      ms: performance.now() - started,
      outcome: outcome.applicable
        ? `${outcome.failures.length} failing of ${outcome.total}${outcome.note ? `; ${outcome.note}` : ""}`
        : "not applicable",
    });
  }
  const started = performance.now();
  const summary = await executeMutation(runControls, { kind: "system", label: "bench" }, {}, db);
  return {
    runSeconds: (performance.now() - started) / 1000,
    summary: `${summary.passed} pass, ${summary.failed} fail, ${summary.notApplicable} not applicable`,
    checks,
  };
}

export function printControlsBench(result: ControlsBenchResult): void {
  console.log(
    `\nControl run over the inventory (one transaction, as the daily job): ${result.runSeconds.toFixed(2)} s (${result.summary})`,
  );
  console.log("  each check alone:");
  for (const check of result.checks) console.log(`    ${check.key.padEnd(34)} ${check.ms.toFixed(0).padStart(7)} ms  ${check.outcome}`);
}
