import { z } from "zod";
import {
  ALONGSIDE_FIELD_ERRORS,
  autonomySchema,
  createIdentityInput,
  environmentSchema,
  identityKindSchema,
  MAX_IDENTITY_LIFETIME_DAYS,
  optionalText,
  permissionSchema,
  requiredId,
  requiredText,
} from "./inventory";

// Input shapes for identity templates and registering from one, shared by the
// /templates pages, the API (and its OpenAPI document).

/** How many grants one template may carry: a template is one kind of tool, not an org chart. */
export const MAX_TEMPLATE_GRANTS = 20;

const emptyToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);

const days = (min: number, max: number) =>
  z.coerce
    .number({ message: "must be a number of days" })
    .int({ message: "must be a whole number of days" })
    .min(min, { message: `must be at least ${min} days` })
    .max(max, { message: `must be at most ${max} days` });

export const templateGrantSchema = z.object({ systemId: requiredId, permission: permissionSchema });
export type TemplateGrant = z.output<typeof templateGrantSchema>;

const grantsSchema = z
  .array(templateGrantSchema, { message: "must be a list of { systemId, permission }" })
  .max(MAX_TEMPLATE_GRANTS, { message: `must be at most ${MAX_TEMPLATE_GRANTS} grants` });

/** A form sends "" for "none"; the API may send null. */
const clearable = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === "" ? null : value), schema.nullable().optional());

const templateFields = {
  name: requiredText(120),
  description: optionalText(2000),
  kind: identityKindSchema,
  vendor: optionalText(120),
  product: optionalText(120),
  model: optionalText(120),
  environment: environmentSchema,
  autonomy: autonomySchema,
  teamId: z.preprocess(emptyToUndefined, requiredId.optional()),
  /** Empty: the cadence of the identity's risk tier (the lifecycle settings). */
  reviewCadenceDays: z.preprocess(emptyToUndefined, days(7, 365).optional()),
  lifetimeDays: days(1, MAX_IDENTITY_LIFETIME_DAYS),
  grants: grantsSchema,
};

/** The same system and permission twice would be one grant asked for twice. */
function checkGrants(value: { grants?: unknown }, ctx: z.RefinementCtx) {
  if (!Array.isArray(value.grants)) return;
  const seen = new Set<string>();
  value.grants.forEach((grant: TemplateGrant, index) => {
    const key = `${grant.systemId} ${grant.permission}`;
    if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["grants", index], message: "names the same system and permission twice" });
    seen.add(key);
  });
}

export const createTemplateInput = z
  .object({ ...templateFields, autonomy: autonomySchema.default("SUGGEST"), grants: grantsSchema.default([]) })
  .superRefine(checkGrants, ALONGSIDE_FIELD_ERRORS);

/** Yes/no from a checkbox ("on"), a form's "true"/"1", or JSON's true/false. */
const yesNo = z.preprocess(
  (value) =>
    value === "on" || value === "true" || value === "1" ? true : value === "" || value === "false" || value === "0" ? false : value,
  z.boolean({ message: "must be true or false" }),
);

export const updateTemplateInput = z
  .object({
    templateId: requiredId,
    ...templateFields,
    description: clearable(requiredText(2000)),
    vendor: clearable(requiredText(120)),
    product: clearable(requiredText(120)),
    model: clearable(requiredText(120)),
    teamId: clearable(requiredId),
    reviewCadenceDays: clearable(days(7, 365)),
  })
  .partial()
  .required({ templateId: true })
  /** True: every identity in service made from the template gets a review (trigger CHANGE). */
  .extend({ openReviews: yesNo.default(false) })
  .superRefine(checkGrants, ALONGSIDE_FIELD_ERRORS);

export const templateIdInput = z.object({ templateId: requiredId });

/** Registering from a template: the template gives everything but a name and a purpose. The owner defaults to the caller. */
export const registerFromTemplateInput = z
  .object({
    templateId: requiredId,
    name: createIdentityInput.shape.name,
    purpose: createIdentityInput.shape.purpose,
    ownerId: createIdentityInput.shape.backupOwnerId,
    backupOwnerId: createIdentityInput.shape.backupOwnerId,
  })
  .superRefine((value, ctx) => {
    if (typeof value.backupOwnerId === "string" && value.backupOwnerId === value.ownerId) {
      ctx.addIssue({ code: "custom", path: ["backupOwnerId"], message: "must be someone other than the owner" });
    }
  }, ALONGSIDE_FIELD_ERRORS);
