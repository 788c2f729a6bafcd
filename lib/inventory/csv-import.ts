import { z } from "zod";
import { defineMutation, type Mutation } from "@/lib/auth/mutation";
import type { Actor } from "@/lib/auth/actor";
import type { AuditEntry } from "@/lib/audit/record";
import type { Tx } from "@/lib/db/client";
import { AppError, fieldErrorsFromZod, toAppError, validationError } from "@/lib/errors";
import { screenRawInput } from "@/lib/validation/raw-input";
import { loadCatalog, type CatalogSettings } from "@/lib/approvals/catalog";
import { JUSTIFICATION_FIELD, pendingRequestFor, requestApprovalIfSensitive } from "@/lib/approvals/request";
import { rateLimits } from "@/lib/rate-limit";
import { createIdentityInput, updateIdentityInput } from "@/lib/validation/inventory";
import { CsvSyntaxError, parseCsvObjects } from "./csv-parse";
import { applyIdentityCreate, applyIdentityUpdate, createIdentity, updateIdentity } from "./identities";
import { findUsersByEmails, normalizeEmail } from "@/lib/users/email";

// CSV import of identities, all or nothing. Every row is validated and run
// through the same create/update logic as the forms and the API, inside one
// transaction; a row that fails is reported with its line and column, and if
// any row fails nothing is kept. A preview is the same mutation as a dry run.
// Re-importing a file changes nothing: rows match existing identities on
// externalId when given, otherwise on name + environment. The export's
// columns are accepted, so an exported file can be edited and imported back.
// A row whose change needs approval (lib/approvals/catalog.ts) is not
// applied: it becomes an approval request of its own, under the import's one
// justification, and is reported as "request"; it is committed with the rest.

export const IMPORT_REQUIRED_COLUMNS = ["name", "kind", "environment", "ownerEmail", "purpose", "expiresAt"] as const;
export const IMPORT_OPTIONAL_COLUMNS = [
  "externalId",
  "autonomy",
  "backupOwnerEmail",
  "team",
  "vendor",
  "product",
  "model",
  "reviewCadenceDays",
] as const;
const MAX_ROWS = 5000;

/** Input fields that are named differently in the CSV. */
const COLUMN_FOR_FIELD: Record<string, string> = { ownerId: "ownerEmail", backupOwnerId: "backupOwnerEmail", teamId: "team" };
const columnFor = (field: string) => COLUMN_FOR_FIELD[field] ?? field;

export type ImportAction = "create" | "update" | "unchanged" | "request" | "error";

export interface ImportRowResult {
  line: number;
  name: string;
  environment: string;
  action: ImportAction;
  identityId?: string;
  /** CSV column → what is wrong with it. */
  errors?: Record<string, string>;
  /** For "request": the approval request the row became (no id in a preview, which keeps nothing). */
  approval?: { id?: string; summary: string; alreadyPending: boolean };
}

export interface ImportResult {
  rows: ImportRowResult[];
  created: number;
  updated: number;
  unchanged: number;
  requested: number;
  failed: number;
}

const MAX_CSV_CHARS = 10 * 1024 * 1024;

export const importIdentitiesInput = z.object({
  csv: z
    .string({ message: "choose a CSV file" })
    .min(1, { message: "choose a CSV file" })
    .max(MAX_CSV_CHARS, { message: "must be at most 10 MiB" }),
  /** Why the rows that need approval are needed; checked by the approval request itself, like every form's. */
  [JUSTIFICATION_FIELD]: z.string().optional(),
});

function errorsByColumn(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([field, message]) => [columnFor(field.split(".")[0]!), message]));
}

interface Lookups {
  users: Map<string, { id: string; active: boolean }>;
  teams: Map<string, string>;
}

async function loadLookups(tx: Tx, rows: { values: Record<string, string> }[]): Promise<Lookups> {
  const emails = new Set<string>();
  const teamNames = new Set<string>();
  for (const { values } of rows) {
    if (values.ownerEmail) emails.add(values.ownerEmail);
    if (values.backupOwnerEmail) emails.add(values.backupOwnerEmail);
    if (values.team) teamNames.add(values.team);
  }
  // One after the other: a transaction is one connection, which runs one query at a time.
  const users = await findUsersByEmails(tx, emails);
  const teams = await tx.team.findMany({ where: { name: { in: [...teamNames] } }, select: { id: true, name: true } });
  return {
    users,
    teams: new Map(teams.map((team) => [team.name, team.id])),
  };
}

/** CSV values → the identity input the forms and API use; unknown people and teams become column errors. */
function toIdentityInput(values: Record<string, string>, lookups: Lookups) {
  const errors: Record<string, string> = {};
  const userId = (column: "ownerEmail" | "backupOwnerEmail") => {
    const email = values[column] ? normalizeEmail(values[column]) : undefined;
    if (!email) return undefined;
    const user = lookups.users.get(email);
    if (!user) errors[column] = `no Warrant user has the email ${email}`;
    return user?.id;
  };
  const ownerId = userId("ownerEmail");
  const backupOwnerId = userId("backupOwnerEmail");
  let teamId: string | undefined;
  if (values.team) {
    teamId = lookups.teams.get(values.team);
    if (!teamId) errors.team = `no team is named ${values.team}`;
  }
  const optional = (column: string) => (values[column] ? values[column] : undefined);
  const input = {
    name: values.name,
    kind: values.kind?.toUpperCase(),
    environment: values.environment?.toUpperCase(),
    autonomy: optional("autonomy")?.toUpperCase(),
    ownerId,
    backupOwnerId,
    teamId,
    vendor: optional("vendor"),
    product: optional("product"),
    model: optional("model"),
    purpose: values.purpose,
    expiresAt: values.expiresAt,
    reviewCadenceDays: optional("reviewCadenceDays"),
    externalId: optional("externalId"),
  };
  return { input, errors };
}

/**
 * The CSV values that differ from the stored identity. Only these are
 * validated and applied, so re-importing an exported row (even one whose
 * expiry has passed) is "unchanged". An empty optional cell means "no
 * change", not "clear the field".
 */
function changedFields(input: Record<string, unknown>, existing: Record<string, unknown>): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(input)) {
    if (value === undefined || field === "environment") continue;
    const current = existing[field];
    const same =
      current instanceof Date
        ? typeof value === "string" && new Date(value).getTime() === current.getTime()
        : String(current ?? "") === String(value);
    if (!same) changes[field] = value;
  }
  return changes;
}

/** Runs one row's change inside a savepoint, so a refused row leaves the transaction usable. */
async function inSavepoint<T>(tx: Tx, work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: AppError }> {
  await tx.$executeRawUnsafe("SAVEPOINT import_row");
  try {
    const value = await work();
    await tx.$executeRawUnsafe("RELEASE SAVEPOINT import_row");
    return { ok: true, value };
  } catch (error) {
    await tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT import_row");
    const known = toAppError(error);
    if (!known) throw error;
    return { ok: false, error: known };
  }
}

/** What an import row needs to become an approval request instead of a change. */
interface ApprovalContext {
  catalog: CatalogSettings;
  justification: string | undefined;
  dryRun: boolean;
}

/**
 * Sends the row's change for approval when it is sensitive, exactly as the
 * form or the API would (same checks, same dry run, same request), inside
 * the row's savepoint so a refusal is the row's error. A row identical to a
 * request still pending is reported as that request, so re-importing a file
 * asks nothing twice. Null when the row needs no approval.
 */
async function sendRowForApproval<Input extends z.ZodType, Output>(
  tx: Tx,
  actor: Actor,
  approvals: ApprovalContext | null,
  result: ImportRowResult,
  mutation: Mutation<Input, Output>,
  input: z.output<Input>,
  rawInput: Record<string, unknown>,
): Promise<ImportRowResult | null> {
  if (actor.kind === "system" || !approvals) return null;
  const pending = await pendingRequestFor(tx, mutation.name, input);
  if (pending) return { ...result, action: "request", approval: { id: pending.id, summary: pending.summary, alreadyPending: true } };
  const outcome = await inSavepoint(tx, () =>
    requestApprovalIfSensitive(
      tx,
      mutation,
      actor,
      input,
      { ...rawInput, [JUSTIFICATION_FIELD]: approvals.justification },
      approvals.catalog,
    ),
  );
  if (!outcome.ok) return { ...result, errors: errorsByColumn(outcome.error.fields ?? { name: outcome.error.message }) };
  if (!outcome.value) return null;
  const { id, summary } = outcome.value.request;
  return { ...result, action: "request", approval: { ...(approvals.dryRun ? {} : { id }), summary, alreadyPending: false } };
}

async function importRow(
  tx: Tx,
  actor: Actor,
  approvals: ApprovalContext | null,
  row: { line: number; values: Record<string, string> },
  lookups: Lookups,
  seen: Map<string, number>,
  auditEntries: AuditEntry[],
): Promise<ImportRowResult> {
  const { values, line } = row;
  const result: ImportRowResult = { line, name: values.name ?? "", environment: (values.environment ?? "").toUpperCase(), action: "error" };

  // The same checks as every mutation's fields (length, NUL, secrets), cell by cell.
  const refused = screenRawInput(values);
  if (Object.keys(refused).length > 0) {
    result.errors = refused;
    return result;
  }
  const { input, errors } = toIdentityInput(values, lookups);
  const key = input.externalId ? `external:${input.externalId}` : `name:${input.name}|${input.environment}`;
  const earlier = seen.get(key);
  if (earlier !== undefined) {
    result.errors = { [input.externalId ? "externalId" : "name"]: `repeats line ${earlier}` };
    return result;
  }
  seen.set(key, line);

  const existing = input.externalId
    ? await tx.aiIdentity.findUnique({ where: { externalId: input.externalId } })
    : input.name && input.environment
      ? await tx.aiIdentity.findFirst({ where: { name: input.name, environment: input.environment as never } })
      : null;

  if (!existing) {
    const parsed = createIdentityInput.safeParse(input);
    const fieldErrors = { ...(parsed.success ? {} : errorsByColumn(fieldErrorsFromZod(parsed.error))), ...errors };
    if (!parsed.success || Object.keys(fieldErrors).length > 0) return { ...result, errors: fieldErrors };
    const requested = await sendRowForApproval(tx, actor, approvals, result, createIdentity, parsed.data, input);
    if (requested) return requested;
    const outcome = await inSavepoint(tx, () => applyIdentityCreate(tx, actor, parsed.data));
    if (!outcome.ok) return { ...result, errors: errorsByColumn(outcome.error.fields ?? { name: outcome.error.message }) };
    auditEntries.push(outcome.value.audit);
    return { ...result, action: "create", identityId: outcome.value.identity.id };
  }

  if (existing.environment !== input.environment) {
    return {
      ...result,
      errors: { environment: `the identity with this externalId is in ${existing.environment}; an identity's environment cannot change` },
    };
  }
  if (Object.keys(errors).length > 0) return { ...result, errors };
  const changes = changedFields(input, existing);
  if (Object.keys(changes).length === 0) return { ...result, action: "unchanged", identityId: existing.id };
  const rawUpdate = { identityId: existing.id, ...changes };
  const parsed = updateIdentityInput.safeParse(rawUpdate);
  if (!parsed.success) return { ...result, errors: errorsByColumn(fieldErrorsFromZod(parsed.error)) };
  const identityId = existing.id;
  const requested = await sendRowForApproval(tx, actor, approvals, { ...result, identityId }, updateIdentity, parsed.data, rawUpdate);
  if (requested) return requested;
  const outcome = await inSavepoint(tx, () => applyIdentityUpdate(tx, actor, parsed.data));
  if (!outcome.ok) return { ...result, errors: errorsByColumn(outcome.error.fields ?? { name: outcome.error.message }) };
  auditEntries.push(outcome.value.audit, ...outcome.value.followUps);
  return { ...result, action: "update", identityId };
}

export const importIdentities = defineMutation({
  name: "identities.import",
  description: "import identities",
  permission: "inventory:write",
  input: importIdentitiesInput,
  // Rows are scanned for secrets one by one below, so a secret is reported on its own line and column.
  scansOwnSecrets: true,
  maxFieldChars: MAX_CSV_CHARS,
  // Previews count too: each one runs the whole import and rolls it back.
  rateLimit: rateLimits.import,
  async run({ tx, actor, audit, dryRun }, { csv, justification }) {
    let parsed: ReturnType<typeof parseCsvObjects>;
    try {
      parsed = parseCsvObjects(csv);
    } catch (error) {
      if (error instanceof CsvSyntaxError) throw validationError({ csv: error.message });
      throw error;
    }
    const missing = IMPORT_REQUIRED_COLUMNS.filter((column) => !parsed.header.includes(column));
    if (missing.length > 0) throw validationError({ csv: `is missing the column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}` });
    if (parsed.rows.length === 0) throw validationError({ csv: "has a header but no rows" });
    if (parsed.rows.length > MAX_ROWS)
      throw validationError({ csv: `has ${parsed.rows.length} rows; import at most ${MAX_ROWS} at a time` });

    const lookups = await loadLookups(tx, parsed.rows);
    const seen = new Map<string, number>();
    const entries: AuditEntry[] = [];
    const rows: ImportRowResult[] = [];
    // Warrant itself (the seed, jobs) is not asked for approval, as in executeMutation.
    const approvals = actor.kind === "system" ? null : { catalog: await loadCatalog(tx), justification, dryRun };
    for (const row of parsed.rows) rows.push(await importRow(tx, actor, approvals, row, lookups, seen, entries));

    const count = (action: ImportAction) => rows.filter((row) => row.action === action).length;
    const result: ImportResult = {
      rows,
      created: count("create"),
      updated: count("update"),
      unchanged: count("unchanged"),
      requested: count("request"),
      failed: count("error"),
    };
    if (result.failed > 0 && !dryRun) {
      // All or nothing: throwing rolls back every row already applied.
      const fields = Object.fromEntries(
        rows.flatMap((row) => Object.entries(row.errors ?? {}).map(([column, message]) => [`line ${row.line}.${column}`, message])),
      );
      throw new AppError("validation_failed", `Nothing was imported: ${result.failed} of ${rows.length} rows have errors.`, fields);
    }
    for (const entry of entries) await audit(entry);
    await audit({
      action: "identities.imported",
      targetType: "identity",
      data: {
        rows: rows.length,
        created: result.created,
        updated: result.updated,
        unchanged: result.unchanged,
        requested: result.requested,
      },
    });
    return result;
  },
});
