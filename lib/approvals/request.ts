import type { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import type { Mutation, MutationContext } from "@/lib/auth/mutation";
import { recordAuditEvent, type AuditEntry } from "@/lib/audit/record";
import { labelledContentHash, toJsonValue } from "@/lib/audit/hash";
import type { Tx } from "@/lib/db/client";
import type { RiskTier } from "@/lib/db/generated/enums";
import { AppError, validationError } from "@/lib/errors";
import { toAuditActor } from "@/lib/auth/actor";
import { CATALOG, loadCatalog, type CatalogSettings, type SensitiveMatch } from "./catalog";
import { levelsSchema } from "./rules";
import { notifyLevelReached } from "./notify";
import { requestParties } from "./parties";

// Turning a sensitive change into an approval request: it is validated and
// tried exactly as if it were applied, then rolled back to a savepoint; what
// it would have written to the audit log is the request's "what would
// change". Nothing of the change itself is kept.

export const JUSTIFICATION_FIELD = "justification";
const JUSTIFICATION_MAX = 2000;

/** What callers are told about a request; the API answers it with 202. */
export interface ApprovalRequestSummary {
  id: string;
  status: string;
  summary: string;
  catalogKey: string;
  reason: string;
  rule: { key: string; name: string };
  expiresAt: string;
  /** The request's page, relative to the app. */
  link: string;
}

/** Returned out of executeMutation's transaction when the change became a request (so the request commits). */
export class PendingApproval {
  constructor(readonly request: ApprovalRequestSummary) {}
}

/**
 * Thrown by executeMutation once a sensitive change is stored as an approval
 * request: nothing was applied. Adapters turn it into a 202 (API), a "sent for
 * approval" message (forms) or a line of output (CLI).
 */
export class SentForApproval extends Error {
  constructor(readonly request: ApprovalRequestSummary) {
    super(`Sent for approval: ${request.summary} (request ${request.id}, ${request.rule.name}).`);
    this.name = "SentForApproval";
  }
}

/** The same change, whoever asks and however its input was spelled. */
export function changeHash(mutationName: string, input: unknown): string {
  return labelledContentHash(mutationName, input);
}

function readJustification(rawInput: unknown, match: SensitiveMatch): string {
  const value = typeof rawInput === "object" && rawInput !== null ? (rawInput as Record<string, unknown>)[JUSTIFICATION_FIELD] : undefined;
  const text = typeof value === "string" ? value.trim() : "";
  const needed = `${CATALOG[match.key].label}: ${match.reason}`;
  if (text.length === 0) {
    throw validationError({ [JUSTIFICATION_FIELD]: `is required: this change needs approval (${needed}); say why it is needed` });
  }
  if (text.length > JUSTIFICATION_MAX) throw validationError({ [JUSTIFICATION_FIELD]: `must be at most ${JUSTIFICATION_MAX} characters` });
  return text;
}

/** The raw input as it will be applied later: the justification is the request's, not the change's. */
function storedInput(rawInput: unknown): Record<string, unknown> {
  const copy = { ...(rawInput as Record<string, unknown>) };
  delete copy[JUSTIFICATION_FIELD];
  return copy;
}

async function riskTierOf(tx: Tx, identityId: string | undefined): Promise<RiskTier | null> {
  if (!identityId) return null;
  const identity = await tx.aiIdentity.findUnique({ where: { id: identityId }, select: { riskTier: true } });
  return identity?.riskTier ?? null;
}

/** Runs the change, keeps the audit entries it would write, and undoes it. Its errors are the change's errors. */
async function preview<Input extends z.ZodType, Output>(
  tx: Tx,
  mutation: Mutation<Input, Output>,
  actor: Actor,
  input: z.output<Input>,
  identityId: string | undefined,
) {
  const changes: AuditEntry[] = [];
  const ctx: MutationContext = {
    tx,
    actor,
    dryRun: false,
    // A preview already runs inside its own savepoint: no fast path that may need a second run.
    careful: true,
    async audit(entry) {
      changes.push(entry);
    },
  };
  await tx.$executeRawUnsafe("SAVEPOINT approval_preview");
  await mutation.run(ctx, input);
  const fromChanges = changes
    .map((entry) => (entry.data as { riskTier?: RiskTier } | undefined)?.riskTier)
    .find((tier): tier is RiskTier => typeof tier === "string");
  const riskAfter = (await riskTierOf(tx, identityId)) ?? fromChanges ?? null;
  await tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT approval_preview");
  return { changes: toJsonValue(changes), riskAfter };
}

/** The pending request that already asks for exactly this change, if any. */
export async function pendingRequestFor(tx: Tx, mutationName: string, input: unknown) {
  return tx.approvalRequest.findFirst({
    where: { inputHash: changeHash(mutationName, input), status: "PENDING", expiresAt: { gt: new Date() } },
    select: { id: true, summary: true },
  });
}

/**
 * When the change matches an enabled catalog entry: validates it by trying
 * it, stores the request and its audit event, and returns PendingApproval.
 * Otherwise returns null and the change is applied as usual. `catalog` saves
 * reading it again when one caller asks for many changes (CSV import).
 */
export async function requestApprovalIfSensitive<Input extends z.ZodType, Output>(
  tx: Tx,
  mutation: Mutation<Input, Output>,
  actor: Exclude<Actor, { kind: "system" }>,
  input: z.output<Input>,
  rawInput: unknown,
  preloadedCatalog?: CatalogSettings,
): Promise<PendingApproval | null> {
  const catalog = preloadedCatalog ?? (await loadCatalog(tx));
  const matches = (await mutation.sensitive!({ tx, catalog }, input)).filter((match) => catalog[match.key].enabled);
  if (matches.length === 0) return null;

  // Where several entries match, the rule with the most levels decides; the request lists every reason.
  const rules = await tx.approvalRule.findMany({ where: { id: { in: matches.map((match) => catalog[match.key].ruleId) } } });
  const ruleOf = (match: SensitiveMatch) => rules.find((rule) => rule.id === catalog[match.key].ruleId)!;
  const primary = [...matches].sort(
    (a, b) => levelsSchema.parse(ruleOf(b).levels).length - levelsSchema.parse(ruleOf(a).levels).length,
  )[0]!;
  const rule = ruleOf(primary);

  const inputHash = changeHash(mutation.name, input);
  // Two people sending the same change at once: the second waits here, then sees the first's request.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${inputHash}))`;
  const now = new Date();
  const duplicate = await pendingRequestFor(tx, mutation.name, input);
  if (duplicate) {
    throw new AppError("conflict", `The same change is already waiting for approval: request ${duplicate.id} (${duplicate.summary}).`);
  }

  const riskBefore = await riskTierOf(tx, primary.identityId);
  // Tried first, so a change that could never apply says what is wrong with it before asking why it is needed.
  const { changes, riskAfter } = await preview(tx, mutation, actor, input, primary.identityId);
  const justification = readJustification(rawInput, primary);
  const request = await tx.approvalRequest.create({
    data: {
      mutation: mutation.name,
      input: toJsonValue(storedInput(rawInput)) as object,
      inputHash,
      summary: primary.summary,
      changes: changes as object,
      catalogKey: primary.key,
      reason: matches.map((match) => match.reason).join("; "),
      ruleId: rule.id,
      levels: rule.levels as object,
      requesterId: actor.userId,
      requestedViaTokenId: actor.kind === "api_token" ? actor.tokenId : null,
      justification,
      identityId: primary.identityId ?? null,
      systemId: primary.systemId ?? null,
      riskBefore,
      riskAfter,
      createdAt: now,
      expiresAt: new Date(now.getTime() + rule.expiryHours * 3600_000),
    },
  });
  await recordAuditEvent(tx, toAuditActor(actor), {
    action: "approval.requested",
    targetType: request.identityId ? "identity" : "approval_request",
    targetId: request.identityId ?? request.id,
    data: {
      requestId: request.id,
      mutation: mutation.name,
      summary: request.summary,
      catalogKey: request.catalogKey,
      reason: request.reason,
      rule: rule.key,
      justification,
      riskBefore,
      riskAfter,
      expiresAt: request.expiresAt,
    },
  });
  await notifyLevelReached(tx, request, await requestParties(tx, request), 0);
  return new PendingApproval({
    id: request.id,
    status: request.status,
    summary: request.summary,
    catalogKey: request.catalogKey,
    reason: request.reason,
    rule: { key: rule.key, name: rule.name },
    expiresAt: request.expiresAt.toISOString(),
    link: `/approvals/${request.id}`,
  });
}
