import { defineMutation } from "@/lib/auth/mutation";
import type { Db, Tx } from "@/lib/db/client";
import type { IdentityTemplate } from "@/lib/db/generated/client";
import { AppError, notFound, validationError } from "@/lib/errors";
import { LIVE_STATUSES } from "@/lib/inventory/lifecycle";
import { lifecycleSettings } from "@/lib/lifecycle/settings";
import { applyReviewOpen } from "@/lib/reviews/reviews";
import { DAY_MS } from "@/lib/time";
import { createTemplateInput, templateIdInput, updateTemplateInput, type TemplateGrant } from "@/lib/validation/templates";

// Identity templates: one kind of tool as the organisation approves it (kind,
// environment, autonomy, grants, cadence, lifetime). Security leads write
// them; owners register identities from them in two fields (./register.ts).
// Every edit counts a version, so an identity knows which version made it.

/** A template's grants as stored (the JSON column), read defensively: only well-formed entries count. */
export function templateGrants(template: Pick<IdentityTemplate, "grants">): TemplateGrant[] {
  const grants = Array.isArray(template.grants) ? template.grants : [];
  return grants.filter(
    (grant): grant is TemplateGrant =>
      typeof grant === "object" && grant !== null && typeof (grant as TemplateGrant).systemId === "string" && "permission" in grant,
  );
}

/** Every system a template's grants name must exist; the error names the grant that does not. */
async function assertGrantSystemsExist(tx: Tx, grants: TemplateGrant[]) {
  if (grants.length === 0) return;
  const found = await tx.system.findMany({ where: { id: { in: grants.map((grant) => grant.systemId) } }, select: { id: true } });
  const known = new Set(found.map((system) => system.id));
  const fields: Record<string, string> = {};
  grants.forEach((grant, index) => {
    if (!known.has(grant.systemId)) fields[`grants.${index}.systemId`] = "must be an existing system";
  });
  if (Object.keys(fields).length > 0) throw validationError(fields);
}

async function assertTeamExists(tx: Tx, teamId: string | null | undefined) {
  if (teamId && !(await tx.team.findUnique({ where: { id: teamId } }))) throw validationError({ teamId: "must be an existing team" });
}

async function assertNameFree(tx: Tx, name: string, exceptId?: string) {
  const clash = await tx.identityTemplate.findUnique({ where: { name }, select: { id: true } });
  if (clash && clash.id !== exceptId)
    throw new AppError("conflict", `A template named ${name} already exists.`, { name: "is already used" });
}

/** The template locked for the rest of the transaction, so two edits count their versions one after another. */
async function lockTemplate(tx: Tx, templateId: string): Promise<IdentityTemplate> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "IdentityTemplate" WHERE "id" = ${templateId} FOR UPDATE`;
  if (locked.length === 0) throw notFound("That template");
  return tx.identityTemplate.findUniqueOrThrow({ where: { id: templateId } });
}

export const createTemplate = defineMutation({
  name: "templates.create",
  description: "create identity templates",
  permission: "lifecycle:configure",
  input: createTemplateInput,
  async run({ tx, actor, audit }, input) {
    if (actor.kind === "system") throw new AppError("forbidden", "A template is written by a person, who answers for it.");
    await assertNameFree(tx, input.name);
    await assertTeamExists(tx, input.teamId);
    await assertGrantSystemsExist(tx, input.grants);
    const template = await tx.identityTemplate.create({ data: { ...input, createdById: actor.userId } });
    await audit({ action: "template.created", targetType: "template", targetId: template.id, data: { ...input, version: 1 } });
    return template;
  },
});

const COMPARED_FIELDS = [
  "name",
  "description",
  "kind",
  "vendor",
  "product",
  "model",
  "environment",
  "autonomy",
  "teamId",
  "reviewCadenceDays",
  "lifetimeDays",
] as const;

function describeValue(value: unknown): string {
  return value === null || value === undefined ? "none" : String(value);
}

function describeGrants(grants: TemplateGrant[], systemNames: Map<string, string>): string {
  return grants.length === 0
    ? "none"
    : grants.map((grant) => `${grant.permission} on ${systemNames.get(grant.systemId) ?? grant.systemId}`).join(", ");
}

/**
 * Edits a template (version + 1). With `openReviews`, every identity in
 * service made from it (any version) gets a review with trigger CHANGE, due in
 * the lifecycle settings' change-review days; one already under review keeps
 * its open review and is counted as such.
 */
export const updateTemplate = defineMutation({
  name: "templates.update",
  description: "edit identity templates",
  permission: "lifecycle:configure",
  input: updateTemplateInput,
  async run({ tx, actor, audit }, { templateId, openReviews, ...changes }) {
    const before = await lockTemplate(tx, templateId);
    if (before.archivedAt) throw new AppError("conflict", `${before.name} is archived; it can no longer change.`);
    if (changes.name !== undefined) await assertNameFree(tx, changes.name, templateId);
    await assertTeamExists(tx, changes.teamId);
    if (changes.grants) await assertGrantSystemsExist(tx, changes.grants);

    const changed: Record<string, { from: unknown; to: unknown }> = {};
    for (const field of COMPARED_FIELDS) {
      const value = changes[field];
      if (value !== undefined && describeValue(value) !== describeValue(before[field])) changed[field] = { from: before[field], to: value };
    }
    const previousGrants = templateGrants(before);
    if (changes.grants && JSON.stringify(changes.grants) !== JSON.stringify(previousGrants)) {
      changed.grants = { from: previousGrants, to: changes.grants };
    }
    if (Object.keys(changed).length === 0) throw new AppError("validation_failed", "Nothing to change: every value is as it was.");

    const version = before.version + 1;
    const template = await tx.identityTemplate.update({ where: { id: templateId }, data: { ...changes, version } });

    const systemIds = [...previousGrants, ...(changes.grants ?? [])].map((grant) => grant.systemId);
    const systems = await tx.system.findMany({ where: { id: { in: systemIds } }, select: { id: true, name: true } });
    const names = new Map(systems.map((system) => [system.id, system.name]));
    const whatChanged = Object.entries(changed)
      .map(([field, { from, to }]) =>
        field === "grants"
          ? `grants ${describeGrants(from as TemplateGrant[], names)} → ${describeGrants(to as TemplateGrant[], names)}`
          : `${field} ${describeValue(from)} → ${describeValue(to)}`,
      )
      .join("; ");

    let reviewsOpened = 0;
    let alreadyUnderReview = 0;
    if (openReviews) {
      const now = new Date();
      const { changeReviewDays } = await lifecycleSettings(tx);
      const identities = await tx.aiIdentity.findMany({
        where: { templateId, status: { in: LIVE_STATUSES } },
        orderBy: { id: "asc" },
        select: { id: true },
      });
      for (const { id } of identities) {
        const opened = await applyReviewOpen(
          tx,
          actor,
          {
            identityId: id,
            trigger: "CHANGE",
            dueAt: new Date(now.getTime() + changeReviewDays * DAY_MS),
            reason: `Template ${template.name} changed to version ${version}: ${whatChanged}`,
          },
          now,
        );
        if (opened.audit) {
          await audit(opened.audit);
          reviewsOpened += 1;
        } else alreadyUnderReview += 1;
      }
    }
    await audit({
      action: "template.updated",
      targetType: "template",
      targetId: templateId,
      data: { version, changed, summary: whatChanged, ...(openReviews ? { reviewsOpened, alreadyUnderReview } : {}) },
    });
    return { ...template, reviewsOpened, alreadyUnderReview };
  },
});

/** Archives a template: no identity can be registered from it any more; those made from it stay as they are. */
export const archiveTemplate = defineMutation({
  name: "templates.archive",
  description: "archive identity templates",
  permission: "lifecycle:configure",
  input: templateIdInput,
  async run({ tx, audit }, { templateId }) {
    const before = await lockTemplate(tx, templateId);
    if (before.archivedAt) throw new AppError("conflict", `${before.name} is already archived.`);
    const template = await tx.identityTemplate.update({ where: { id: templateId }, data: { archivedAt: new Date() } });
    await audit({
      action: "template.archived",
      targetType: "template",
      targetId: templateId,
      data: { name: before.name, version: before.version },
    });
    return template;
  },
});

/** A template row as lists show it: grants with their systems, and how many identities it made (all and in service). */
export interface TemplateRow extends Omit<IdentityTemplate, "grants"> {
  grants: (TemplateGrant & { systemName: string | null; systemEnvironment: string | null })[];
  teamName: string | null;
  identitiesMade: number;
  identitiesInService: number;
}

async function toRows(db: Db, templates: (IdentityTemplate & { team: { name: string } | null })[]): Promise<TemplateRow[]> {
  const ids = templates.map((template) => template.id);
  const systemIds = templates.flatMap((template) => templateGrants(template).map((grant) => grant.systemId));
  const [counts, live, systems] = await Promise.all([
    db.aiIdentity.groupBy({ by: ["templateId"], where: { templateId: { in: ids } }, _count: { _all: true } }),
    db.aiIdentity.groupBy({
      by: ["templateId"],
      where: { templateId: { in: ids }, status: { in: LIVE_STATUSES } },
      _count: { _all: true },
    }),
    db.system.findMany({ where: { id: { in: systemIds } }, select: { id: true, name: true, environment: true } }),
  ]);
  const systemById = new Map(systems.map((system) => [system.id, system]));
  return templates.map(({ team, ...template }) => ({
    ...template,
    teamName: team?.name ?? null,
    grants: templateGrants(template).map((grant) => ({
      ...grant,
      systemName: systemById.get(grant.systemId)?.name ?? null,
      systemEnvironment: systemById.get(grant.systemId)?.environment ?? null,
    })),
    identitiesMade: counts.find((count) => count.templateId === template.id)?._count._all ?? 0,
    identitiesInService: live.find((count) => count.templateId === template.id)?._count._all ?? 0,
  }));
}

/** Every template, in use first then archived, by name. Templates are few (one per approved kind of tool). */
export async function listTemplates(db: Db, { includeArchived = true }: { includeArchived?: boolean } = {}): Promise<TemplateRow[]> {
  const templates = await db.identityTemplate.findMany({
    where: includeArchived ? {} : { archivedAt: null },
    orderBy: [{ archivedAt: { sort: "asc", nulls: "first" } }, { name: "asc" }],
    include: { team: { select: { name: true } } },
  });
  return toRows(db, templates);
}

/** One template as lists show it, or null. */
export async function loadTemplate(db: Db, templateId: string): Promise<TemplateRow | null> {
  const template = await db.identityTemplate.findUnique({ where: { id: templateId }, include: { team: { select: { name: true } } } });
  return template ? (await toRows(db, [template]))[0]! : null;
}

/** The same, for the API: 404 when there is none. */
export async function findTemplate(db: Db, templateId: string): Promise<TemplateRow> {
  const template = await loadTemplate(db, templateId);
  if (!template) throw notFound("That template");
  return template;
}

/** A template's fields as the edit form holds them (strings; "" for none). */
export function templateFormValues(template: TemplateRow) {
  return {
    name: template.name,
    description: template.description ?? "",
    kind: template.kind,
    vendor: template.vendor ?? "",
    product: template.product ?? "",
    model: template.model ?? "",
    environment: template.environment,
    autonomy: template.autonomy,
    teamId: template.teamId ?? "",
    reviewCadenceDays: template.reviewCadenceDays === null ? "" : String(template.reviewCadenceDays),
    lifetimeDays: String(template.lifetimeDays),
  };
}
