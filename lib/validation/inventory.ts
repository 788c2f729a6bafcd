import { z } from "zod";
import {
  Autonomy,
  CredentialType,
  Environment,
  GrantMode,
  IdentityKind,
  Permission,
  Sensitivity,
  SystemKind,
} from "@/lib/db/generated/enums";

// Input shapes for the inventory, shared by forms, the API (and its OpenAPI
// document) and CSV import. Forms send every field as a string, with "" for
// an empty optional field, so the helpers below accept both.

export function enumOf<T extends string>(values: Record<string, T>) {
  const list = Object.values(values) as [T, ...T[]];
  return z.enum(list, { message: `must be one of ${list.join(", ")}` });
}

const emptyToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);

export const requiredText = (max: number) =>
  z
    .string({ message: "is required" })
    .trim()
    .min(1, { message: "is required" })
    .max(max, { message: `must be at most ${max} characters` });

export const optionalText = (max: number) => z.preprocess(emptyToUndefined, requiredText(max).optional());

/**
 * Cross-field rules run even when a field has already failed, so a form shows
 * every problem in one answer (zod skips them by default). They then see only
 * the fields that parsed, so each rule checks the type of what it reads.
 */
export const ALONGSIDE_FIELD_ERRORS = {
  when: (payload: { value: unknown }) => typeof payload.value === "object" && payload.value !== null,
};

export const isDate = (value: unknown): value is Date => value instanceof Date && !Number.isNaN(value.getTime());

const id = z.string({ message: "is required" }).trim().min(1, { message: "is required" });
const optionalId = z.preprocess(emptyToUndefined, id.optional());

const date = z.coerce.date({ message: "must be a date, e.g. 2027-03-31" });
const optionalDate = z.preprocess(emptyToUndefined, date.optional());

const days = (min: number, max: number) =>
  z.coerce
    .number({ message: "must be a number of days" })
    .int({ message: "must be a whole number of days" })
    .min(min, { message: `must be at least ${min} days` })
    .max(max, { message: `must be at most ${max} days` });

export const identityKindSchema = enumOf(IdentityKind);
export const environmentSchema = enumOf(Environment);
export const autonomySchema = enumOf(Autonomy);
export const systemKindSchema = enumOf(SystemKind);
export const sensitivitySchema = enumOf(Sensitivity);
export const permissionSchema = enumOf(Permission);
export const grantModeSchema = enumOf(GrantMode);
export const credentialTypeSchema = enumOf(CredentialType);

/** Identities must end: at most two years ahead, so every one comes back for a decision. */
export const MAX_IDENTITY_LIFETIME_DAYS = 730;

// Defaults live on the create schema only: a partial update must leave
// fields it does not mention alone.
const identityFields = {
  name: requiredText(120).regex(/^[\w .:@/+-]+$/, { message: "may use letters, digits, spaces and . _ - : @ / +" }),
  kind: identityKindSchema,
  vendor: optionalText(120),
  product: optionalText(120),
  model: optionalText(120),
  purpose: requiredText(2000),
  environment: environmentSchema,
  autonomy: autonomySchema,
  ownerId: id,
  backupOwnerId: optionalId,
  teamId: optionalId,
  expiresAt: date,
  reviewCadenceDays: days(7, 365),
  externalId: optionalText(200),
};

function checkIdentityRules(value: { ownerId?: string; backupOwnerId?: string | null; expiresAt?: Date }, ctx: z.RefinementCtx) {
  if (typeof value.backupOwnerId === "string" && value.backupOwnerId && value.backupOwnerId === value.ownerId) {
    ctx.addIssue({ code: "custom", path: ["backupOwnerId"], message: "must be someone other than the owner" });
  }
  if (isDate(value.expiresAt)) {
    const now = Date.now();
    if (value.expiresAt.getTime() <= now) ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "must be in the future" });
    else if (value.expiresAt.getTime() > now + MAX_IDENTITY_LIFETIME_DAYS * 86_400_000) {
      ctx.addIssue({ code: "custom", path: ["expiresAt"], message: `must be within ${MAX_IDENTITY_LIFETIME_DAYS} days` });
    }
  }
}

export const createIdentityInput = z
  .object({ ...identityFields, autonomy: autonomySchema.default("SUGGEST"), reviewCadenceDays: days(7, 365).default(90) })
  .superRefine(checkIdentityRules, ALONGSIDE_FIELD_ERRORS);

/** In an edit, an emptied optional field ("" from a form, null from the API) clears it. */
const clearable = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === "" ? null : value), schema.nullable().optional());

/** Environment is fixed at registration: a dev assistant and a prod one are two identities. */
export const updateIdentityInput = z
  .object({
    identityId: id,
    ...identityFields,
    vendor: clearable(requiredText(120)),
    product: clearable(requiredText(120)),
    model: clearable(requiredText(120)),
    backupOwnerId: clearable(id),
    teamId: clearable(id),
    externalId: clearable(requiredText(200)),
  })
  .omit({ environment: true })
  .partial()
  .required({ identityId: true })
  .superRefine(checkIdentityRules, ALONGSIDE_FIELD_ERRORS);

export const identityIdInput = z.object({ identityId: id, reason: optionalText(500) });

export const createSystemInput = z.object({
  name: requiredText(200),
  kind: systemKindSchema,
  environment: environmentSchema,
  sensitivity: sensitivitySchema,
  description: optionalText(2000),
  /** Accountable for the system; can be an approval level for access to it. Security leads and admins set it. */
  ownerId: optionalId,
  backupOwnerId: optionalId,
});

export const updateSystemInput = createSystemInput.partial().extend({ systemId: id });

export const confirmSystemSensitivityInput = z.object({ systemId: id, sensitivity: sensitivitySchema });

export const createGrantInput = z
  .object({
    identityId: id,
    systemId: id,
    permission: permissionSchema,
    mode: grantModeSchema.default("STANDING"),
    expiresAt: optionalDate,
  })
  .superRefine((value, ctx) => {
    if (value.mode === "JUST_IN_TIME" && value.expiresAt === undefined) {
      ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "is required for a just-in-time grant" });
    }
    if (isDate(value.expiresAt) && value.expiresAt.getTime() <= Date.now()) {
      ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "must be in the future" });
    }
  }, ALONGSIDE_FIELD_ERRORS);

export const grantIdInput = z.object({ grantId: id });

/** A fingerprint identifies a credential without being it: a hash, a key id, or a token prefix. */
const fingerprint = requiredText(200).regex(/^[\w:+/=.-]+$/, {
  message: "must be a fingerprint such as SHA256:… or a key id (letters, digits and : + / = . _ -)",
});

export const createCredentialInput = z
  .object({
    identityId: id,
    type: credentialTypeSchema,
    label: requiredText(200),
    fingerprint,
    issuedAt: date,
    expiresAt: optionalDate,
    lastUsedAt: optionalDate,
    lastRotatedAt: optionalDate,
    rotationPeriodDays: z.preprocess(emptyToUndefined, days(1, 3650).optional()),
    vaultPath: optionalText(500),
  })
  .superRefine((value, ctx) => {
    if (!isDate(value.issuedAt)) return;
    if (value.issuedAt.getTime() > Date.now() + 60_000)
      ctx.addIssue({ code: "custom", path: ["issuedAt"], message: "cannot be in the future" });
    if (isDate(value.expiresAt) && value.expiresAt <= value.issuedAt)
      ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "must be after issuedAt" });
  }, ALONGSIDE_FIELD_ERRORS);

export const credentialIdInput = z.object({ credentialId: id });

export const rotateCredentialInput = z.object({
  credentialId: id,
  fingerprint,
  rotatedAt: z.preprocess(emptyToUndefined, date.optional()),
  expiresAt: optionalDate,
});

export { id as requiredId, optionalDate };
