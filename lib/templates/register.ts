import type { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { defineMutation } from "@/lib/auth/mutation";
import { grantMatch, identityCreateChecks } from "@/lib/approvals/checks";
import type { SensitiveCheckContext, SensitiveMatch } from "@/lib/approvals/catalog";
import type { Tx } from "@/lib/db/client";
import type { IdentityTemplate } from "@/lib/db/generated/client";
import { AppError, fieldErrorsFromZod, validationError } from "@/lib/errors";
import { actorUserId } from "@/lib/inventory/access";
import { applyIdentityCreate } from "@/lib/inventory/identities";
import { recomputeRisk } from "@/lib/inventory/recompute-risk";
import { cadenceForTier, lifecycleSettings } from "@/lib/lifecycle/settings";
import { DAY_MS } from "@/lib/time";
import { createIdentityInput } from "@/lib/validation/inventory";
import { registerFromTemplateInput } from "@/lib/validation/templates";
import { templateGrants } from "./templates";

// Registering an identity from a template: a name and a purpose (the owner is
// the caller unless said), everything else from the template, and its grants
// with it, in one transaction. Subject to approvals as a whole: the change is
// sensitive when registering the identity alone would be, or when any of its
// grants would be, so one request covers the identity and all its access and
// its approval applies them together.

type RegisterInput = z.output<typeof registerFromTemplateInput>;

async function findUsableTemplate(tx: Tx, templateId: string): Promise<IdentityTemplate> {
  const template = await tx.identityTemplate.findUnique({ where: { id: templateId } });
  if (!template) throw validationError({ templateId: "must be an existing template" });
  if (template.archivedAt) throw new AppError("conflict", `${template.name} is archived; register from a template in use.`);
  return template;
}

/** What registering from the template would need approval for: the registration's own checks and each grant's. */
export async function registerFromTemplateChecks(ctx: SensitiveCheckContext, input: RegisterInput): Promise<SensitiveMatch[]> {
  const template = await ctx.tx.identityTemplate.findUnique({ where: { id: input.templateId } });
  // Matches nothing: the change itself then fails with its own message.
  if (!template || template.archivedAt) return [];
  const identityLabel = `${input.name} (${template.environment})`;
  const matches = await identityCreateChecks(ctx, {
    name: input.name,
    environment: template.environment,
    autonomy: template.autonomy,
    expiresAt: new Date(Date.now() + template.lifetimeDays * DAY_MS),
  });
  const grants = templateGrants(template);
  const systems = await ctx.tx.system.findMany({ where: { id: { in: grants.map((grant) => grant.systemId) } } });
  for (const grant of grants) {
    const system = systems.find((candidate) => candidate.id === grant.systemId);
    if (system) matches.push(...grantMatch(system, grant.permission, { name: input.name }));
  }
  // One request covers the whole registration, so every match says so.
  const summary = `Register ${identityLabel} from template ${template.name}`;
  return matches.map((match) => ({ ...match, summary }));
}

/**
 * An approved registration is applied from the template as it is then; if the
 * template changed after the request was made, the approvers approved other
 * access than it would now give, so it is refused (and the request fails).
 */
async function assertVersionApproved(tx: Tx, approvalRequestId: string | undefined, template: IdentityTemplate) {
  if (!approvalRequestId) return;
  const request = await tx.approvalRequest.findUnique({ where: { id: approvalRequestId }, select: { changes: true } });
  const changes = (Array.isArray(request?.changes) ? request.changes : []) as { action?: unknown; data?: { templateVersion?: unknown } }[];
  const approved = changes.find((entry) => entry?.action === "identity.created")?.data?.templateVersion;
  if (approved !== template.version) {
    throw new AppError(
      "conflict",
      `Template ${template.name} changed (version ${String(approved)} → ${template.version}) after this registration was asked for; register again from the current version.`,
    );
  }
}

async function applyRegisterFromTemplate(tx: Tx, actor: Actor, input: RegisterInput, approvalRequestId: string | undefined) {
  const template = await findUsableTemplate(tx, input.templateId);
  await assertVersionApproved(tx, approvalRequestId, template);
  const ownerId = input.ownerId ?? actorUserId(actor);
  if (!ownerId) throw validationError({ ownerId: "is required" });
  const now = new Date();
  const parsed = createIdentityInput.safeParse({
    name: input.name,
    purpose: input.purpose,
    ownerId,
    backupOwnerId: input.backupOwnerId,
    kind: template.kind,
    vendor: template.vendor ?? undefined,
    product: template.product ?? undefined,
    model: template.model ?? undefined,
    environment: template.environment,
    autonomy: template.autonomy,
    teamId: template.teamId ?? undefined,
    expiresAt: new Date(now.getTime() + template.lifetimeDays * DAY_MS),
    // Replaced below by the tier's cadence when the template leaves it to the tier.
    reviewCadenceDays: template.reviewCadenceDays ?? 90,
  });
  if (!parsed.success) throw validationError(fieldErrorsFromZod(parsed.error));
  const created = await applyIdentityCreate(tx, actor, parsed.data, { templateId: template.id, templateVersion: template.version });
  const identityId = created.identity.id;

  const grants = templateGrants(template);
  const systems = await tx.system.findMany({ where: { id: { in: grants.map((grant) => grant.systemId) } } });
  const grantEntries = [];
  for (const grant of grants) {
    const system = systems.find((candidate) => candidate.id === grant.systemId);
    if (!system)
      throw new AppError("conflict", `Template ${template.name} names a system that no longer exists; ask a security lead to fix it.`);
    const row = await tx.grant.create({ data: { identityId, systemId: system.id, permission: grant.permission, mode: "STANDING" } });
    grantEntries.push({
      action: "grant.created",
      targetType: "identity",
      targetId: identityId,
      data: {
        grantId: row.id,
        system: system.name,
        systemId: system.id,
        permission: row.permission,
        mode: row.mode,
        templateId: template.id,
      },
    });
  }

  // Rated once with its grants; as registration, not a change of tier (recompute-risk.ts).
  const risk = await recomputeRisk(tx, identityId, now, { moveReview: false });
  const reviewCadenceDays = template.reviewCadenceDays ?? cadenceForTier(await lifecycleSettings(tx), risk.tier);
  const identity = await tx.aiIdentity.update({
    where: { id: identityId },
    data: { reviewCadenceDays, nextReviewAt: new Date(now.getTime() + reviewCadenceDays * DAY_MS) },
  });
  const audit = {
    ...created.audit,
    data: {
      ...(created.audit.data as Record<string, unknown>),
      reviewCadenceDays,
      cadenceFrom: template.reviewCadenceDays ? "template" : `risk tier ${risk.tier}`,
      riskTier: risk.tier,
      templateId: template.id,
      templateName: template.name,
      templateVersion: template.version,
    },
  };
  return {
    identity: { ...identity, riskTier: risk.tier, riskReasons: risk.reasons, grants: grantEntries.map((entry) => entry.data) },
    audits: [audit, ...grantEntries.map((entry) => ({ ...entry, data: { ...entry.data, riskTier: risk.tier } }))],
  };
}

/** Registers an identity from a template, with its grants (see the top of this file). */
export const registerFromTemplate = defineMutation({
  name: "identities.create-from-template",
  description: "register AI identities",
  permission: "inventory:write",
  input: registerFromTemplateInput,
  sensitive: registerFromTemplateChecks,
  async run({ tx, actor, audit, approvalRequestId }, input) {
    const result = await applyRegisterFromTemplate(tx, actor, input, approvalRequestId);
    for (const entry of result.audits) await audit(entry);
    return result.identity;
  },
});
