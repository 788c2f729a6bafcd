import type { z } from "zod";
import { prisma, type Db, type Tx } from "@/lib/db/client";
import { flushAuditEvents, queueAuditEvent, type AuditEntry } from "@/lib/audit/record";
import { AppError, fieldErrorsFromZod, forbidden, unauthenticated, validationError } from "@/lib/errors";
import { screenRawInput } from "@/lib/validation/raw-input";
import type { RateLimiter } from "@/lib/rate-limit";
import type { SensitiveCheckContext, SensitiveMatch } from "@/lib/approvals/catalog";
import { PendingApproval, requestApprovalIfSensitive, SentForApproval } from "@/lib/approvals/request";
import { can, toAuditActor, type Actor } from "./actor";
import type { Permission } from "./permissions";

// The one path every change takes, whether it comes from a server action, an
// API route, the CLI or a job: authenticate → check the role → refuse
// overlong strings, NUL characters and secrets → validate → run inside one transaction → audit in that same
// transaction. A sensitive change (see lib/approvals/catalog.ts) stops before
// it runs: it is stored as an approval request in that transaction instead,
// and executeMutation throws SentForApproval once it is committed.
//
// The role check comes before validation on purpose: someone who may not act
// at all learns nothing about what a valid request would look like.

export interface MutationContext {
  tx: Tx;
  actor: Actor;
  /** True when the caller asked for a preview: everything runs, then rolls back. */
  dryRun: boolean;
  /** Records an audit event in the mutation's transaction (written with the others before it commits). */
  audit(entry: AuditEntry): Promise<void>;
  /** Set while an approved request's change is applied (lib/approvals/decide.ts): that request's id. */
  approvalRequestId?: string;
  /** True on the second run after the first threw RunAgainCarefully. */
  careful: boolean;
}

/**
 * Thrown by a mutation's run to roll its whole transaction back and run it
 * once more with `careful` set. For a fast path that leaves out a precaution
 * nearly every run does without (deciding an approval skips the savepoint it
 * needs only when the approved change fails), at the price of a second
 * transaction in the rare run that needs it.
 */
export class RunAgainCarefully extends Error {
  constructor(reason: string) {
    super(`Run again carefully: ${reason}`);
  }
}

export interface Mutation<Input extends z.ZodType, Output> {
  /** Stable name, used in audit events and tests, e.g. "users.create". */
  name: string;
  /** Shown in "You are not allowed to …" messages. */
  description: string;
  permission: Permission;
  input: Input;
  /**
   * Set by mutations that take a whole document (CSV import) and check each of
   * its fields for secrets themselves, so they can say which line and column.
   */
  scansOwnSecrets?: boolean;
  /** Top-level fields that may hold a credential by design (a Slack webhook URL): exempt from the secret screen only. */
  secretsAllowedIn?: readonly string[];
  /** Limits how often one person (or token) may run it, e.g. CSV import; Warrant itself is not limited. */
  rateLimit?: RateLimiter;
  /** Set when API tokens may never make this change, whatever their scopes: the 403's message says why. */
  refusedToApiTokens?: string;
  /**
   * Set on the few calls an auditor, who changes nothing, may make (an export that is only
   * recorded): why. The tests that prove every other mutation refuses auditors read it.
   */
  auditorsMay?: string;
  /** How long its transaction may run, when a minute is not enough (a run of every control over a large inventory). */
  transactionTimeoutMs?: number;
  /** Longest string accepted in any field, when the schema allows more than MAX_FIELD_CHARS (a whole document). */
  maxFieldChars?: number;
  /**
   * Which catalog entries this input matches (lib/approvals/catalog.ts), read
   * against the current state inside the transaction. A match that is switched
   * on makes the change an approval request instead.
   */
  sensitive?(ctx: SensitiveCheckContext, input: z.output<Input>): Promise<SensitiveMatch[]>;
  run(ctx: MutationContext, input: z.output<Input>): Promise<Output>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds mutations of every shape
export type AnyMutation = Mutation<z.ZodType, any>;

export function defineMutation<Input extends z.ZodType, Output>(mutation: Mutation<Input, Output>) {
  return mutation;
}

/** Thrown inside a dry run's transaction to roll it back while carrying the result out. */
class DryRunRollback<Output> {
  constructor(readonly result: Output) {}
}

export interface ExecuteOptions {
  /** A preview: everything runs, then rolls back. Never becomes an approval request. */
  dryRun?: boolean;
}

/**
 * Runs an already validated change inside the caller's transaction and
 * requires its audit event; `auditData` is added to every event it writes
 * (an approved request's id and approvers).
 */
export async function runMutation<Input extends z.ZodType, Output>(
  tx: Tx,
  mutation: Mutation<Input, Output>,
  actor: Actor,
  input: z.output<Input>,
  options: { dryRun?: boolean; careful?: boolean; auditData?: Record<string, unknown> } = {},
): Promise<Output> {
  let audited = false;
  const ctx: MutationContext = {
    tx,
    actor,
    dryRun: options.dryRun ?? false,
    careful: options.careful ?? false,
    // decide.ts tags the applied change's audit events with its request; the change itself may need it too.
    approvalRequestId: typeof options.auditData?.approvalRequestId === "string" ? options.auditData.approvalRequestId : undefined,
    async audit(entry) {
      const data = options.auditData ? { ...(entry.data as Record<string, unknown> | undefined), ...options.auditData } : entry.data;
      queueAuditEvent(tx, toAuditActor(actor), { ...entry, data });
      audited = true;
    },
  };
  const result = await mutation.run(ctx, input);
  // A change without its audit event must not commit.
  if (!audited) throw new Error(`Mutation ${mutation.name} changed data without writing an audit event`);
  return result;
}

/** Refuses callers who may not make this change at all, before anything looks at the input. */
export function assertMayRun(mutation: AnyMutation, actor: Actor | null): asserts actor is Actor {
  if (!actor) throw unauthenticated();
  if (!can(actor, mutation.permission)) throw forbidden(mutation.description);
  if (actor.kind === "api_token" && mutation.refusedToApiTokens) throw new AppError("forbidden", mutation.refusedToApiTokens);
}

/**
 * Screens and validates raw input with the mutation's schema. Secrets are
 * refused before anything else looks at the input, so no part of one reaches
 * validation messages, the database or the audit log; see
 * lib/validation/raw-input.ts for the length and NUL checks beside it.
 */
export function parseMutationInput<Input extends z.ZodType>(mutation: Mutation<Input, unknown>, rawInput: unknown): z.output<Input> {
  const refused = screenRawInput(rawInput, {
    secrets: !mutation.scansOwnSecrets,
    secretsAllowedIn: mutation.secretsAllowedIn,
    maxFieldChars: mutation.maxFieldChars,
  });
  if (Object.keys(refused).length > 0) throw validationError(refused);
  const parsed = mutation.input.safeParse(rawInput);
  if (!parsed.success) throw validationError(fieldErrorsFromZod(parsed.error));
  return parsed.data;
}

export async function executeMutation<Input extends z.ZodType, Output>(
  mutation: Mutation<Input, Output>,
  actor: Actor | null,
  rawInput: unknown,
  db: Db = prisma,
  options: ExecuteOptions = {},
): Promise<Output> {
  assertMayRun(mutation, actor);
  if (mutation.rateLimit && actor.kind !== "system") mutation.rateLimit.take(actor.userId);
  const input = parseMutationInput(mutation, rawInput);

  const dryRun = options.dryRun ?? false;
  const transaction = async (tx: Tx, careful: boolean): Promise<Output | PendingApproval> => {
    // Warrant itself (jobs, the seed, the CLI's admin commands) is not asked for approval.
    if (mutation.sensitive && actor.kind !== "system" && !dryRun) {
      const pending = await requestApprovalIfSensitive(tx, mutation, actor, input, rawInput);
      if (pending) return pending;
    }
    const result = await runMutation(tx, mutation, actor, input, { dryRun, careful });
    // The events the change queued, in one statement (lib/audit/record.ts); a preview writes them too, then rolls back.
    await flushAuditEvents(tx);
    if (dryRun) throw new DryRunRollback(result);
    return result;
  };
  const run = (careful: boolean) => db.$transaction((tx) => transaction(tx, careful), { timeout: mutation.transactionTimeoutMs ?? 60_000 });
  let outcome: Output | PendingApproval;
  try {
    try {
      outcome = await run(false);
    } catch (error) {
      if (!(error instanceof RunAgainCarefully)) throw error;
      outcome = await run(true);
    }
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result as Output;
    throw error;
  }
  // Thrown only after the request is committed, so every caller that does not expect it still reports "not applied".
  if (outcome instanceof PendingApproval) throw new SentForApproval(outcome.request);
  return outcome as Output;
}
