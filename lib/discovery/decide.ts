import type { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { defineMutation } from "@/lib/auth/mutation";
import { grantMatch, identityCreateChecks } from "@/lib/approvals/checks";
import type { SensitiveCheckContext, SensitiveMatch } from "@/lib/approvals/catalog";
import type { AuditEntry } from "@/lib/audit/record";
import type { Tx } from "@/lib/db/client";
import type { DiscoveryFinding, DiscoveryRepository } from "@/lib/db/generated/client";
import { AppError, fieldErrorsFromZod, notFound, validationError } from "@/lib/errors";
import { assertMayManageIdentity } from "@/lib/inventory/access";
import { applyIdentityCreate } from "@/lib/inventory/identities";
import { LIVE_STATUSES } from "@/lib/inventory/lifecycle";
import { recomputeRisk } from "@/lib/inventory/recompute-risk";
import { createIdentityInput } from "@/lib/validation/inventory";
import { dismissFindingInput, linkFindingInput, registerFindingInput, reopenFindingInput } from "@/lib/validation/discovery";
import { assertMayDismissFindings, findVisibleFinding } from "./access";
import { ensureRepositorySystem } from "./ingest";
import { impliedPermissions, parseProposal, PERMISSION_ORDER } from "./proposal";
import { findRepositorySystem, uncoveredPermissions } from "./reach";

// What a person decides about an open finding: register the tool it shows as
// a new identity (PROPOSED, with grants on the repository), link it to an
// identity already in the inventory, or dismiss it with a reason. Each locks
// the finding, so two people deciding at once get one decision and one
// "already decided". A finding a later scan no longer saw can only be dismissed.

type FindingWithRepository = DiscoveryFinding & { repository: DiscoveryRepository };

/** Reads the finding as the actor may see it, then locks its row and reads it again under the lock. */
async function lockOpenFinding(tx: Tx, actor: Actor, findingId: string, verb: string): Promise<FindingWithRepository> {
  await findVisibleFinding(tx, actor, findingId);
  await tx.$queryRaw`SELECT "id" FROM "DiscoveryFinding" WHERE "id" = ${findingId} FOR UPDATE`;
  const finding = await tx.discoveryFinding.findUnique({ where: { id: findingId }, include: { repository: true } });
  if (!finding) throw notFound("That finding");
  if (finding.status !== "OPEN") {
    throw new AppError("conflict", `This finding is already ${finding.status.toLowerCase()}; reopen it first to ${verb} it.`);
  }
  if (finding.goneAt && verb !== "dismiss") {
    throw new AppError("conflict", `The latest scan of ${finding.repository.name} no longer found this footprint; dismiss it instead.`);
  }
  return finding;
}

function findingData(finding: FindingWithRepository) {
  return {
    findingId: finding.id,
    repository: finding.repository.name,
    environment: finding.repository.environment,
    detector: finding.detector,
    file: finding.file,
    line: finding.line,
    tool: finding.tool,
  };
}

type RegisterInput = z.output<typeof registerFindingInput>;

/**
 * One registration of a finding at a time: while one waits for approval, another
 * (with other fields, so not refused as identical) would make a second identity
 * of the same footprint once both were approved.
 */
async function assertNoPendingRegistration(tx: Tx, findingId: string) {
  const pending = await tx.approvalRequest.findFirst({
    where: { mutation: "discovery.register-finding", status: "PENDING", input: { path: ["findingId"], equals: findingId } },
    select: { id: true },
  });
  if (pending) {
    throw new AppError(
      "conflict",
      `A registration of this finding already waits for approval (request ${pending.id}); decide or withdraw that one first.`,
    );
  }
}

/** What registering the finding would need approval for: the registration's own checks and each grant's on the repository. */
export async function registerFindingChecks(ctx: SensitiveCheckContext, input: RegisterInput): Promise<SensitiveMatch[]> {
  await assertNoPendingRegistration(ctx.tx, input.findingId);
  const finding = await ctx.tx.discoveryFinding.findUnique({ where: { id: input.findingId }, include: { repository: true } });
  // Matches nothing: the change itself then fails with its own message.
  if (!finding) return [];
  const { environment, name: repositoryName } = finding.repository;
  const matches = await identityCreateChecks(ctx, { name: input.name, environment, autonomy: input.autonomy, expiresAt: input.expiresAt });
  // The scan made the repository's system; a stand-in counts as a system awaiting a lead's confirmation, as it would be.
  const system = (await findRepositorySystem(ctx.tx, finding.repository)) ?? {
    id: "",
    name: repositoryName,
    environment,
    sensitivity: "RESTRICTED",
    proposedSensitivity: "INTERNAL",
  };
  for (const permission of input.permissions) matches.push(...grantMatch(system, permission, { name: input.name }));
  const summary = `Register ${input.name} (${environment}) from a footprint in ${repositoryName}`;
  return matches.map((match) => ({ ...match, summary }));
}

async function applyRegisterFinding(tx: Tx, actor: Actor, input: RegisterInput, approvalRequestId: string | undefined) {
  const finding = await lockOpenFinding(tx, actor, input.findingId, "register");
  // The approved request being applied is still pending until this commits.
  if (!approvalRequestId) await assertNoPendingRegistration(tx, finding.id);
  if (!parseProposal(finding.proposal)) {
    throw new AppError(
      "conflict",
      "This finding is not a tool that can be registered (a leaked secret is not an identity): link it to the identity it belongs to, or dismiss it once the secret is rotated.",
    );
  }
  const { repository } = finding;
  const parsed = createIdentityInput.safeParse({
    name: input.name,
    purpose: input.purpose,
    kind: input.kind,
    vendor: input.vendor,
    product: input.product,
    model: input.model,
    environment: repository.environment,
    autonomy: input.autonomy,
    ownerId: input.ownerId,
    backupOwnerId: input.backupOwnerId,
    teamId: input.teamId ?? repository.teamId ?? undefined,
    expiresAt: input.expiresAt,
    reviewCadenceDays: input.reviewCadenceDays,
  });
  if (!parsed.success) throw validationError(fieldErrorsFromZod(parsed.error));
  const created = await applyIdentityCreate(tx, actor, parsed.data, { status: "PROPOSED" });
  const identityId = created.identity.id;
  const audits: AuditEntry[] = [{ ...created.audit, data: { ...(created.audit.data as object), ...findingData(finding) } }];

  const permissions = PERMISSION_ORDER.filter((permission) => input.permissions.includes(permission));
  if (permissions.length > 0) {
    const ensured = await ensureRepositorySystem(tx, actor, repository.name, repository.environment);
    if (ensured.audit) audits.push(ensured.audit);
    for (const permission of permissions) {
      const grant = await tx.grant.create({ data: { identityId, systemId: ensured.system.id, permission, mode: "STANDING" } });
      audits.push({
        action: "grant.created",
        targetType: "identity",
        targetId: identityId,
        data: {
          grantId: grant.id,
          system: ensured.system.name,
          systemId: ensured.system.id,
          permission,
          mode: grant.mode,
          findingId: finding.id,
        },
      });
    }
  }
  const risk = await recomputeRisk(tx, identityId, undefined, { moveReview: false });

  // A new identity holds only the grants just made, so what the footprint implies beyond them needs no query.
  const broader = impliedPermissions(finding.proposal).filter((permission) => !permissions.includes(permission));
  const now = new Date();
  await tx.discoveryFinding.update({
    where: { id: finding.id },
    data: {
      status: "REGISTERED",
      identityId,
      decidedAt: now,
      decidedBy: actor.label,
      broaderPermissions: broader,
      flaggedAt: broader.length > 0 ? now : null,
    },
  });
  audits.push({
    action: "discovery.finding_registered",
    targetType: "identity",
    targetId: identityId,
    data: { ...findingData(finding), permissions, beyondGrants: broader, riskTier: risk.tier },
  });
  return { identity: { ...created.identity, riskTier: risk.tier }, findingId: finding.id, audits };
}

/** Registers the tool a finding shows as a PROPOSED identity with grants on its repository; sensitive like any registration. */
export const registerFinding = defineMutation({
  name: "discovery.register-finding",
  description: "register AI identities",
  permission: "inventory:write",
  input: registerFindingInput,
  sensitive: registerFindingChecks,
  async run({ tx, actor, audit, approvalRequestId }, input) {
    const result = await applyRegisterFinding(tx, actor, input, approvalRequestId);
    for (const entry of result.audits) await audit(entry);
    return { identity: result.identity, findingId: result.findingId };
  },
});

/** Links a finding to an identity already in the inventory, which the actor may manage. */
export const linkFinding = defineMutation({
  name: "discovery.link-finding",
  description: "link discovered findings to identities",
  permission: "inventory:write",
  input: linkFindingInput,
  async run({ tx, actor, audit }, input) {
    const finding = await lockOpenFinding(tx, actor, input.findingId, "link");
    const identity = await tx.aiIdentity.findUnique({ where: { id: input.identityId } });
    if (!identity) throw validationError({ identityId: "must be an existing identity" });
    assertMayManageIdentity(actor, identity, "link a finding to this identity");
    if (!LIVE_STATUSES.includes(identity.status)) {
      throw validationError({ identityId: `must be an identity in service (${identity.name} is ${identity.status.toLowerCase()})` });
    }
    const system = await findRepositorySystem(tx, finding.repository);
    const broader = await uncoveredPermissions(tx, identity.id, system?.id ?? null, impliedPermissions(finding.proposal));
    const now = new Date();
    await tx.discoveryFinding.update({
      where: { id: finding.id },
      data: {
        status: "LINKED",
        identityId: identity.id,
        decidedAt: now,
        decidedBy: actor.label,
        broaderPermissions: broader,
        flaggedAt: broader.length > 0 ? now : null,
      },
    });
    await audit({
      action: "discovery.finding_linked",
      targetType: "identity",
      targetId: identity.id,
      data: { ...findingData(finding), identity: identity.name, beyondGrants: broader },
    });
    return { findingId: finding.id, identityId: identity.id, identityName: identity.name, beyondGrants: broader };
  },
});

/** Dismisses a finding (a false positive, a tool that is not used, a secret that was rotated) with the reason. */
export const dismissFinding = defineMutation({
  name: "discovery.dismiss-finding",
  description: "dismiss discovered findings",
  permission: "inventory:write",
  input: dismissFindingInput,
  async run({ tx, actor, audit }, input) {
    assertMayDismissFindings(actor);
    const finding = await lockOpenFinding(tx, actor, input.findingId, "dismiss");
    await tx.discoveryFinding.update({
      where: { id: finding.id },
      data: { status: "DISMISSED", dismissReason: input.reason, decidedAt: new Date(), decidedBy: actor.label },
    });
    await audit({
      action: "discovery.finding_dismissed",
      targetType: "discovery_finding",
      targetId: finding.id,
      data: { ...findingData(finding), reason: input.reason },
    });
    return { findingId: finding.id, status: "DISMISSED" as const };
  },
});

/** Takes back a dismissal: the finding is open again (security leads and admins). */
export const reopenFinding = defineMutation({
  name: "discovery.reopen-finding",
  description: "reopen dismissed findings",
  permission: "inventory:write",
  input: reopenFindingInput,
  async run({ tx, actor, audit }, input) {
    assertMayDismissFindings(actor);
    await findVisibleFinding(tx, actor, input.findingId);
    const [reopened] = await tx.$queryRaw<{ id: string }[]>`
      UPDATE "DiscoveryFinding" SET "status" = 'OPEN', "dismissReason" = NULL, "decidedAt" = NULL, "decidedBy" = NULL
      WHERE "id" = ${input.findingId} AND "status" = 'DISMISSED' RETURNING "id"`;
    if (!reopened) throw new AppError("conflict", "Only a dismissed finding can be reopened.");
    const finding = await tx.discoveryFinding.findUniqueOrThrow({ where: { id: input.findingId }, include: { repository: true } });
    await audit({
      action: "discovery.finding_reopened",
      targetType: "discovery_finding",
      targetId: finding.id,
      data: { ...findingData(finding), reason: input.reason },
    });
    return { findingId: finding.id, status: "OPEN" as const };
  },
});
