import { z } from "zod";
import { defineMutation } from "@/lib/auth/mutation";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { requiredText, optionalText } from "@/lib/validation/inventory";
import { CATALOG, CATALOG_KEYS, type CatalogKey, type SensitiveMatch } from "./catalog";
import { levelsSchema } from "./rules";

// Security leads edit the rules and the catalog. Both edits are themselves
// sensitive ("approvals.rules_changed"), so one security lead cannot quietly
// switch approvals off: another must agree.

const rulesChanged = (summary: string): SensitiveMatch[] => [
  { key: "approvals.rules_changed", reason: "the approval rules decide which changes wait for whom", summary },
];

const levelsInput = z.preprocess((value) => {
  // Forms send the levels as JSON text; the API sends them as a list.
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}, levelsSchema);

export const updateRuleInput = z.object({
  ruleKey: requiredText(80),
  name: requiredText(120),
  description: optionalText(500),
  levels: levelsInput,
  expiryHours: z.coerce
    .number({ message: "must be a number of hours" })
    .int({ message: "must be a whole number of hours" })
    .min(1, { message: "must be at least 1 hour" })
    .max(24 * 30, { message: "must be at most 720 hours (30 days)" }),
});

export const updateApprovalRule = defineMutation({
  name: "approvals.update-rule",
  description: "change approval rules",
  permission: "approvals:configure",
  input: updateRuleInput,
  sensitive: async (_ctx, input) => rulesChanged(`Change the approval rule ${input.ruleKey}`),
  async run({ tx, audit }, input) {
    const before = await tx.approvalRule.findUnique({ where: { key: input.ruleKey } });
    if (!before) throw new AppError("validation_failed", "That approval rule does not exist.", { ruleKey: "must be an existing rule" });
    for (const [index, level] of input.levels.entries()) {
      if (level.approvers.kind !== "user") continue;
      const person = await tx.user.findUnique({ where: { id: level.approvers.userId }, select: { active: true, roles: true } });
      if (!person?.active || person.roles.includes("AUDITOR")) {
        throw new AppError("validation_failed", "A level names someone who cannot decide.", {
          [`levels.${index}.approvers.userId`]: "must be an active person who is not an auditor",
        });
      }
    }
    const rule = await tx.approvalRule.update({
      where: { key: input.ruleKey },
      data: { name: input.name, description: input.description ?? null, levels: input.levels, expiryHours: input.expiryHours },
    });
    await audit({
      action: "approvals.rule_changed",
      targetType: "approval_rule",
      targetId: rule.id,
      data: { key: rule.key, before: { name: before.name, levels: before.levels, expiryHours: before.expiryHours }, after: input },
    });
    return rule;
  },
});

const catalogKey = z.enum(CATALOG_KEYS as [CatalogKey, ...CatalogKey[]], { message: `must be one of ${CATALOG_KEYS.join(", ")}` });

export const updateCatalogEntryInput = z.object({
  key: catalogKey,
  enabled: z.preprocess(
    (value) => (value === "on" || value === "true" ? true : value === "false" ? false : value),
    z.boolean({ message: "must be true or false" }),
  ),
  ruleKey: requiredText(80),
  maxDays: z.preprocess(
    (value) => (value === "" || value === null ? undefined : value),
    z.coerce
      .number({ message: "must be a number of days" })
      .int({ message: "must be a whole number of days" })
      .min(1, { message: "must be at least 1 day" })
      .max(3650, { message: "must be at most 3650 days" })
      .optional(),
  ),
});

export const updateCatalogEntry = defineMutation({
  name: "approvals.update-catalog-entry",
  description: "change what needs approval",
  permission: "approvals:configure",
  input: updateCatalogEntryInput,
  sensitive: async (_ctx, input) =>
    rulesChanged(`${input.enabled ? "Require" : "Stop requiring"} approval for ${CATALOG[input.key].label.toLowerCase()}`),
  async run({ tx, audit }, input) {
    const rule = await tx.approvalRule.findUnique({ where: { key: input.ruleKey } });
    if (!rule) throw new AppError("validation_failed", "That approval rule does not exist.", { ruleKey: "must be an existing rule" });
    const before = await tx.approvalCatalogEntry.findUnique({ where: { key: input.key } });
    if (!before) throw notFound("That catalog entry");
    const entry = await tx.approvalCatalogEntry.update({
      where: { key: input.key },
      data: { enabled: input.enabled, ruleId: rule.id, maxDays: input.maxDays ?? before.maxDays },
    });
    await audit({
      action: "approvals.catalog_changed",
      targetType: "approval_catalog",
      targetId: input.key,
      data: { before: { enabled: before.enabled, ruleId: before.ruleId, maxDays: before.maxDays }, after: { ...input, ruleId: rule.id } },
    });
    return entry;
  },
});

/** The catalog with each entry's rule, for the settings page and the API. */
export async function listApprovalSettings(db: Db) {
  const [rules, entries] = [await db.approvalRule.findMany({ orderBy: { key: "asc" } }), await db.approvalCatalogEntry.findMany()];
  return {
    rules: rules.map((rule) => ({ ...rule, levels: levelsSchema.parse(rule.levels) })),
    catalog: CATALOG_KEYS.map((key) => {
      const entry = entries.find((row) => row.key === key);
      return {
        key,
        ...CATALOG[key],
        enabled: entry?.enabled ?? false,
        ruleKey: rules.find((rule) => rule.id === entry?.ruleId)?.key,
        maxDays: entry?.maxDays ?? null,
      };
    }),
  };
}
