import type { z } from "zod";
import { prisma, type Db, type Tx } from "@/lib/db/client";
import { recordAuditEvent, type AuditEntry } from "@/lib/audit/record";
import { AppError, fieldErrorsFromZod, forbidden, unauthenticated, validationError } from "@/lib/errors";
import { screenRawInput } from "@/lib/validation/raw-input";
import type { RateLimiter } from "@/lib/rate-limit";
import { can, toAuditActor, type Actor } from "./actor";
import type { Permission } from "./permissions";

// The one path every change takes, whether it comes from a server action, an
// API route, the CLI or a job: authenticate → check the role → refuse
// overlong strings, NUL characters and secrets → validate → run inside one transaction → audit in that same
// transaction.
//
// The role check comes before validation on purpose: someone who may not act
// at all learns nothing about what a valid request would look like.

export interface MutationContext {
  tx: Tx;
  actor: Actor;
  /** True when the caller asked for a preview: everything runs, then rolls back. */
  dryRun: boolean;
  /** Records an audit event in the mutation's transaction. */
  audit(entry: AuditEntry): Promise<void>;
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
  /** Limits how often one person (or token) may run it, e.g. CSV import; Warrant itself is not limited. */
  rateLimit?: RateLimiter;
  /** Set when API tokens may never make this change, whatever their scopes: the 403's message says why. */
  refusedToApiTokens?: string;
  /** Longest string accepted in any field, when the schema allows more than MAX_FIELD_CHARS (a whole document). */
  maxFieldChars?: number;
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

export async function executeMutation<Input extends z.ZodType, Output>(
  mutation: Mutation<Input, Output>,
  actor: Actor | null,
  rawInput: unknown,
  db: Db = prisma,
  options: { dryRun?: boolean } = {},
): Promise<Output> {
  if (!actor) throw unauthenticated();
  if (!can(actor, mutation.permission)) throw forbidden(mutation.description);
  if (actor.kind === "api_token" && mutation.refusedToApiTokens) throw new AppError("forbidden", mutation.refusedToApiTokens);
  if (mutation.rateLimit && actor.kind !== "system") mutation.rateLimit.take(actor.userId);

  // Secrets are refused before anything else looks at the input, so no part
  // of one reaches validation messages, the database or the audit log; see
  // lib/validation/raw-input.ts for the length and NUL checks beside it.
  const refused = screenRawInput(rawInput, { secrets: !mutation.scansOwnSecrets, maxFieldChars: mutation.maxFieldChars });
  if (Object.keys(refused).length > 0) throw validationError(refused);

  const parsed = mutation.input.safeParse(rawInput);
  if (!parsed.success) throw validationError(fieldErrorsFromZod(parsed.error));

  const dryRun = options.dryRun ?? false;
  const transaction = async (tx: Tx) => {
    let audited = false;
    const ctx: MutationContext = {
      tx,
      actor,
      dryRun,
      async audit(entry) {
        await recordAuditEvent(tx, toAuditActor(actor), entry);
        audited = true;
      },
    };
    const result = await mutation.run(ctx, parsed.data);
    // A change without its audit event must not commit.
    if (!audited) throw new Error(`Mutation ${mutation.name} changed data without writing an audit event`);
    if (dryRun) throw new DryRunRollback(result);
    return result;
  };
  try {
    return await db.$transaction(transaction, { timeout: 60_000 });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result as Output;
    throw error;
  }
}
