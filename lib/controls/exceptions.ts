import { z } from "zod";
import { defineMutation } from "@/lib/auth/mutation";
import type { SensitiveCheckContext, SensitiveMatch } from "@/lib/approvals/catalog";
import { AppError, validationError } from "@/lib/errors";
import type { Tx } from "@/lib/db/client";
import { DAY_MS } from "@/lib/time";
import { actorUserId } from "@/lib/inventory/access";
import { findControl } from "./library";

// A security lead accepts one failing object for one control, with a reason
// and an end date: from the next run on it counts as excepted, not passing and
// not failing. Accepting is a sensitive change ("control.excepted"): a second
// security lead approves it. Revoking one makes things stricter, so it is not.

/** An exception is a decision to revisit, not a way to switch a control off for good. */
export const MAX_EXCEPTION_DAYS = 365;

const id = (what: string) =>
  z
    .string({ message: "is required" })
    .trim()
    .min(1, { message: `is required: ${what}` });

export const addExceptionInput = z.object({
  controlKey: id("the control's key"),
  objectType: id("the failing object's type"),
  objectId: id("the failing object's id"),
  reason: z
    .string({ message: "is required" })
    .trim()
    .min(10, { message: "must say why the failure is accepted (at least 10 characters)" })
    .max(2000, { message: "must be at most 2000 characters" }),
  expiresAt: z.coerce.date({ message: "must be a date" }),
});

/** The object's row in the control's latest result: only an object the control now finds failing can be excepted. */
async function latestFailure(tx: Tx, input: { controlKey: string; objectType: string; objectId: string }) {
  const latest = await tx.controlResult.findFirst({
    where: { controlKey: input.controlKey },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  if (!latest) return null;
  return tx.controlFailure.findUnique({
    where: { resultId_objectType_objectId: { resultId: latest.id, objectType: input.objectType, objectId: input.objectId } },
    select: { label: true, detail: true, excepted: true },
  });
}

async function exceptionChecks({ tx }: SensitiveCheckContext, input: z.output<typeof addExceptionInput>): Promise<SensitiveMatch[]> {
  const control = findControl(input.controlKey);
  const failure = control ? await latestFailure(tx, input) : null;
  if (!control || !failure) return [];
  return [
    {
      key: "control.excepted",
      reason: `${failure.label} fails "${control.title}" (${failure.detail}); accepted until ${input.expiresAt.toISOString().slice(0, 10)}`,
      summary: `Except ${failure.label} from ${control.title}`,
      identityId: input.objectType === "identity" ? input.objectId : undefined,
    },
  ];
}

export const addControlException = defineMutation({
  name: "controls.add-exception",
  description: "accept failing objects for controls",
  permission: "controls:manage",
  input: addExceptionInput,
  sensitive: exceptionChecks,
  async run({ tx, actor, audit }, input) {
    const control = findControl(input.controlKey);
    if (!control) throw validationError({ controlKey: "must be one of Warrant's controls" });
    const now = new Date();
    if (input.expiresAt <= now) throw validationError({ expiresAt: "must be in the future" });
    if (input.expiresAt.getTime() > now.getTime() + MAX_EXCEPTION_DAYS * DAY_MS) {
      throw validationError({ expiresAt: `must be at most ${MAX_EXCEPTION_DAYS} days ahead` });
    }
    const failure = await latestFailure(tx, input);
    if (!failure) {
      throw new AppError("conflict", `${control.title} does not find that object failing in its latest run: there is nothing to except.`, {
        objectId: "must be an object the control's latest run found failing",
      });
    }
    const existing = await tx.controlException.findFirst({
      where: { controlKey: control.key, objectType: input.objectType, objectId: input.objectId, revokedAt: null, expiresAt: { gt: now } },
      select: { id: true, expiresAt: true },
    });
    if (existing) {
      throw new AppError(
        "conflict",
        `${failure.label} is already excepted from ${control.title} until ${existing.expiresAt.toISOString().slice(0, 10)}.`,
      );
    }
    const createdById = actorUserId(actor);
    if (!createdById) throw new AppError("forbidden", "Only a person can accept a failing object.");
    const exception = await tx.controlException.create({
      data: {
        controlKey: control.key,
        objectType: input.objectType,
        objectId: input.objectId,
        label: failure.label,
        reason: input.reason,
        expiresAt: input.expiresAt,
        createdById,
      },
    });
    await audit({
      action: "control.exception_added",
      targetType: "control",
      targetId: control.key,
      data: {
        exceptionId: exception.id,
        objectType: input.objectType,
        objectId: input.objectId,
        label: failure.label,
        reason: input.reason,
        expiresAt: input.expiresAt,
      },
    });
    return exception;
  },
});

export const revokeControlException = defineMutation({
  name: "controls.revoke-exception",
  description: "revoke control exceptions",
  permission: "controls:manage",
  input: z.object({ exceptionId: id("the exception's id") }),
  async run({ tx, actor, audit }, input) {
    const exception = await tx.controlException.findUnique({ where: { id: input.exceptionId } });
    if (!exception) throw new AppError("not_found", "That exception does not exist.", { exceptionId: "must be an existing exception" });
    if (exception.revokedAt) throw new AppError("conflict", "That exception is already revoked.");
    const revoked = await tx.controlException.update({
      where: { id: exception.id },
      data: { revokedAt: new Date(), revokedById: actorUserId(actor) },
    });
    await audit({
      action: "control.exception_revoked",
      targetType: "control",
      targetId: exception.controlKey,
      data: { exceptionId: exception.id, objectType: exception.objectType, objectId: exception.objectId, label: exception.label },
    });
    return revoked;
  },
});

export const mapControlInput = z.object({
  controlKey: id("the control's key"),
  requirementId: id("the requirement's id, e.g. acme-ai-standard:AI-3"),
  alias: z
    .string()
    .trim()
    .max(40, { message: "must be at most 40 characters" })
    .optional()
    .transform((value) => value || undefined),
});

/** A security lead maps a control to a requirement (typically one of their own framework's). */
export const mapControl = defineMutation({
  name: "controls.map-requirement",
  description: "map controls to requirements",
  permission: "controls:manage",
  input: mapControlInput,
  async run({ tx, actor, audit }, input) {
    const control = findControl(input.controlKey);
    if (!control) throw validationError({ controlKey: "must be one of Warrant's controls" });
    const requirement = await tx.requirement.findUnique({
      where: { id: input.requirementId },
      select: { id: true, code: true, title: true },
    });
    if (!requirement) throw validationError({ requirementId: "must be an existing requirement" });
    const builtIn = control.mappings.some((mapping) => mapping.requirementId === requirement.id);
    const existing = await tx.controlMapping.findUnique({
      where: { controlKey_requirementId: { controlKey: control.key, requirementId: requirement.id } },
      select: { id: true },
    });
    if (builtIn || existing)
      throw new AppError("conflict", `${control.title} already maps to ${requirement.code}.`, { requirementId: "is already mapped" });
    const createdById = actorUserId(actor);
    if (!createdById) throw new AppError("forbidden", "Only a person can add a mapping.");
    const mapping = await tx.controlMapping.create({
      data: { controlKey: control.key, requirementId: requirement.id, alias: input.alias, createdById },
    });
    await audit({
      action: "control.mapped",
      targetType: "control",
      targetId: control.key,
      data: { requirementId: requirement.id, code: requirement.code, alias: input.alias },
    });
    return mapping;
  },
});
