import { z } from "zod";
import { defineMutation } from "@/lib/auth/mutation";
import type { Tx } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import { actorUserId } from "@/lib/inventory/access";
import { enqueueNotification } from "@/lib/notifications/outbox";
import type { ControlStatus } from "@/lib/db/generated/enums";
import type { CheckOutcome, ControlFinding } from "./checks";
import { CONTROLS, type ControlDefinition } from "./library";
import { latestStatuses } from "./queries";

// One run of every control: each check reads live data inside the run's
// transaction, live exceptions turn failing objects into excepted ones, and
// the results are written together with the audit event, so a run is kept
// whole or not at all (a crash half-way leaves nothing; the job runs again).
// A control that was not failing in the previous run and fails now notifies
// the security leads through the outbox; its failing objects appear on their
// owners' task lists (My tasks) from the latest run.

export interface ControlRunResult {
  controlKey: string;
  status: ControlStatus;
  total: number | null;
  failed: number | null;
  excepted: number | null;
  measure: string;
  reason: string | null;
  failures: (ControlFinding & { excepted: boolean })[];
}

/** What a control's check outcome becomes once exceptions are applied. */
export function resultOf(control: ControlDefinition, outcome: CheckOutcome, excepted: ReadonlySet<string>): ControlRunResult {
  // Nothing to look at is no pass either: an empty inventory proves nothing.
  const notApplicable = !outcome.applicable
    ? outcome.reason
    : outcome.total === 0 && outcome.failures.length === 0
      ? `there are no ${outcome.unit} to check`
      : null;
  if (notApplicable !== null || !outcome.applicable) {
    return {
      controlKey: control.key,
      status: "NOT_APPLICABLE",
      total: null,
      failed: null,
      excepted: null,
      measure: "not applicable",
      reason: notApplicable,
      failures: [],
    };
  }
  const failures = outcome.failures.map((failure) => ({ ...failure, excepted: excepted.has(exceptionKey(control.key, failure)) }));
  const exceptedCount = failures.filter((failure) => failure.excepted).length;
  const failedCount = failures.length - exceptedCount;
  const passing = Math.max(0, outcome.total - failures.length);
  const parts = [failedCount > 0 ? `${failedCount} failing` : null, exceptedCount > 0 ? `${exceptedCount} excepted` : null].filter(Boolean);
  return {
    controlKey: control.key,
    status: failedCount > 0 ? "FAIL" : "PASS",
    total: outcome.total,
    failed: failedCount,
    excepted: exceptedCount,
    measure: `${passing} of ${outcome.total} ${outcome.unit} pass${parts.length > 0 ? ` (${parts.join(", ")})` : ""}`,
    reason: outcome.note ?? null,
    failures,
  };
}

export function exceptionKey(controlKey: string, object: { objectType: string; objectId: string }): string {
  return `${controlKey}\u0000${object.objectType}\u0000${object.objectId}`;
}

/** Runs one control's check; a check that throws is a failing control with the error as its reason, never a silent pass. */
async function check(tx: Tx, control: ControlDefinition, now: Date): Promise<CheckOutcome | Error> {
  // Each check in a savepoint: a query that errors must not abort the rest of the run's transaction.
  await tx.$executeRaw`SAVEPOINT control_check`;
  try {
    const outcome = await control.check({ db: tx, now });
    await tx.$executeRaw`RELEASE SAVEPOINT control_check`;
    return outcome;
  } catch (error) {
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT control_check`;
    return error instanceof Error ? error : new Error(String(error));
  }
}

const FAILURE_CHUNK = 5_000;

async function insertFailures(tx: Tx, resultId: string, failures: ControlRunResult["failures"]): Promise<void> {
  for (let start = 0; start < failures.length; start += FAILURE_CHUNK) {
    const rows = failures.slice(start, start + FAILURE_CHUNK).map((failure) => ({
      objectType: failure.objectType,
      objectId: failure.objectId,
      label: failure.label,
      detail: failure.detail,
      ownerId: failure.ownerId,
      excepted: failure.excepted,
    }));
    await tx.$executeRaw`
      INSERT INTO "ControlFailure" ("resultId", "objectType", "objectId", "label", "detail", "ownerId", "excepted")
      SELECT ${resultId}, f."objectType", f."objectId", f."label", f."detail", f."ownerId", f."excepted"
      FROM json_to_recordset(${JSON.stringify(rows)}::json)
        AS f("objectType" text, "objectId" text, "label" text, "detail" text, "ownerId" text, "excepted" boolean)`;
  }
}

export interface ControlRunSummary {
  runId: string;
  passed: number;
  failed: number;
  notApplicable: number;
  /** Controls that fail now and did not in the previous run. */
  newlyFailing: string[];
}

export const runControlsInput = z.object({});

export const runControls = defineMutation({
  name: "controls.run",
  description: "run the controls",
  permission: "controls:manage",
  input: runControlsInput,
  // Every check reads inside the run's transaction; the audit chain's alone walks every event.
  transactionTimeoutMs: 15 * 60_000,
  async run({ tx, actor, audit }): Promise<ControlRunSummary> {
    // One run at a time, so "the previous run" is well defined for the notifications.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('warrant.controls.run'))`;
    const startedAt = new Date();
    const exceptions = await tx.controlException.findMany({
      where: { revokedAt: null, expiresAt: { gt: startedAt } },
      select: { controlKey: true, objectType: true, objectId: true },
    });
    const excepted = new Set(exceptions.map((exception) => exceptionKey(exception.controlKey, exception)));

    const results: ControlRunResult[] = [];
    for (const control of CONTROLS) {
      const outcome = await check(tx, control, startedAt);
      results.push(
        outcome instanceof Error
          ? {
              controlKey: control.key,
              status: "FAIL",
              total: null,
              failed: null,
              excepted: null,
              measure: "the test could not run",
              reason: outcome.message,
              failures: [],
            }
          : resultOf(control, outcome, excepted),
      );
    }

    const previous = await latestStatuses(tx);
    const finishedAt = new Date();
    const runId = newId();
    await tx.controlRun.create({
      data: {
        id: runId,
        trigger: actor.kind === "system" ? "schedule" : "on_demand",
        requestedById: actorUserId(actor) ?? null,
        startedAt,
        finishedAt,
      },
    });
    for (const result of results) {
      const resultId = newId();
      await tx.controlResult.create({
        data: {
          id: resultId,
          runId,
          controlKey: result.controlKey,
          status: result.status,
          total: result.total,
          failed: result.failed,
          excepted: result.excepted,
          measure: result.measure,
          reason: result.reason,
          createdAt: finishedAt,
        },
      });
      await insertFailures(tx, resultId, result.failures);
    }

    const newlyFailing = results.filter((result) => result.status === "FAIL" && previous.get(result.controlKey) !== "FAIL");
    if (newlyFailing.length > 0) await notifyNewlyFailing(tx, newlyFailing);
    const summary: ControlRunSummary = {
      runId,
      passed: results.filter((result) => result.status === "PASS").length,
      failed: results.filter((result) => result.status === "FAIL").length,
      notApplicable: results.filter((result) => result.status === "NOT_APPLICABLE").length,
      newlyFailing: newlyFailing.map((result) => result.controlKey),
    };
    await audit({
      action: "controls.run",
      targetType: "control_run",
      targetId: runId,
      data: { ...summary, trigger: actor.kind === "system" ? "schedule" : "on_demand" },
    });
    return summary;
  },
});

async function notifyNewlyFailing(tx: Tx, failing: ControlRunResult[]): Promise<void> {
  const leads = await tx.user.findMany({ where: { active: true, roles: { has: "SECURITY_LEAD" } }, select: { id: true } });
  for (const result of failing) {
    const control = CONTROLS.find((candidate) => candidate.key === result.controlKey)!;
    await enqueueNotification(tx, {
      event: "control.failing",
      subject: `Control failing: ${control.title}`,
      text: [
        `${control.title} started failing.`,
        `Measure: ${result.measure}.`,
        result.reason ? `Note: ${result.reason}` : null,
        ...result.failures
          .filter((failure) => !failure.excepted)
          .slice(0, 10)
          .map((failure) => `- ${failure.label}: ${failure.detail}`),
        result.failed !== null && result.failed > 10 ? `… and ${result.failed - 10} more.` : null,
      ]
        .filter((line): line is string => line !== null)
        .join("\n"),
      link: `/controls/${control.key}`,
      recipientUserIds: leads.map((lead) => lead.id),
      data: { control: control.key, status: result.status, measure: result.measure, failed: result.failed },
    });
  }
}
