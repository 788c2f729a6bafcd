import { z } from "zod";
import { defineMutation } from "@/lib/auth/mutation";
import type { DbOrTx } from "@/lib/db/client";
import type { RiskTier } from "@/lib/db/generated/enums";

// The lifecycle's tunable numbers, set by security leads and kept in one
// Setting row: when an overdue review escalates, how long a change-triggered
// review gives the owner, and the review cadence each risk tier gets.

export const LIFECYCLE_SETTINGS_KEY = "lifecycle";

const days = (max: number) =>
  z.coerce
    .number({ message: "must be a number of days" })
    .int({ message: "must be a whole number of days" })
    .min(1, { message: "must be at least 1 day" })
    .max(max, { message: `must be at most ${max} days` });

export const lifecycleSettingsSchema = z.object({
  /** Days overdue after which security leads are told about a review. */
  escalationDays: days(365),
  /** Days a review opened by a change (model, autonomy, purpose, owner, new WRITE access) is due in. */
  changeReviewDays: days(90),
  /** Review cadence by risk tier, in days: a riskier identity is reviewed more often. */
  cadenceCriticalDays: days(3650),
  cadenceHighDays: days(3650),
  cadenceMediumDays: days(3650),
  cadenceLowDays: days(3650),
});

export type LifecycleSettings = z.output<typeof lifecycleSettingsSchema>;

export const DEFAULT_LIFECYCLE_SETTINGS: LifecycleSettings = {
  escalationDays: 7,
  changeReviewDays: 7,
  cadenceCriticalDays: 30,
  cadenceHighDays: 90,
  cadenceMediumDays: 180,
  cadenceLowDays: 365,
};

/** What may be stored: any of the settings (built once; building a schema costs more than parsing with it). */
const storedLifecycleSettings = lifecycleSettingsSchema.partial();

/** The settings in force: the stored ones over the defaults (a stored value that no longer parses falls back). */
export async function lifecycleSettings(db: DbOrTx): Promise<LifecycleSettings> {
  const row = await db.setting.findUnique({ where: { key: LIFECYCLE_SETTINGS_KEY } });
  return lifecycleSettingsFrom(row?.value);
}

/** The same from the stored row's value, for a statement that reads it along with other things (null: none stored). */
export function lifecycleSettingsFrom(value: unknown): LifecycleSettings {
  const stored = storedLifecycleSettings.safeParse(value ?? {});
  return { ...DEFAULT_LIFECYCLE_SETTINGS, ...(stored.success ? stored.data : {}) };
}

/** The review cadence, in days, an identity of this tier gets. */
export function cadenceForTier(settings: LifecycleSettings, tier: RiskTier): number {
  switch (tier) {
    case "CRITICAL":
      return settings.cadenceCriticalDays;
    case "HIGH":
      return settings.cadenceHighDays;
    case "MEDIUM":
      return settings.cadenceMediumDays;
    case "LOW":
      return settings.cadenceLowDays;
  }
}

export const updateLifecycleSettings = defineMutation({
  name: "lifecycle.update-settings",
  description: "change the review and reminder settings",
  permission: "lifecycle:configure",
  input: lifecycleSettingsSchema,
  async run({ tx, audit }, input) {
    const before = await lifecycleSettings(tx);
    await tx.setting.upsert({
      where: { key: LIFECYCLE_SETTINGS_KEY },
      create: { key: LIFECYCLE_SETTINGS_KEY, value: input },
      update: { value: input },
    });
    await audit({
      action: "lifecycle.settings_changed",
      targetType: "setting",
      targetId: LIFECYCLE_SETTINGS_KEY,
      data: { before, after: input },
    });
    return input;
  },
});
