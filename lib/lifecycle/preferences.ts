import { z } from "zod";
import { defineMutation } from "@/lib/auth/mutation";
import type { DbOrTx } from "@/lib/db/client";
import { NotificationDelivery } from "@/lib/db/generated/enums";
import { forbidden } from "@/lib/errors";
import { actorUserId } from "@/lib/inventory/access";
import { OPTIONAL_NOTICE_KINDS, type NoticeKind } from "./kinds";

// Each person chooses, per kind of lifecycle message, email (the default), a
// daily digest or nothing. Escalations and suspensions are not theirs to mute.

const DELIVERIES = Object.values(NotificationDelivery) as [NotificationDelivery, ...NotificationDelivery[]];
const delivery = z.enum(DELIVERIES, { message: `must be one of ${DELIVERIES.join(", ")}` });

export const setPreferencesInput = z
  .object(
    Object.fromEntries(OPTIONAL_NOTICE_KINDS.map((kind) => [kind, delivery.optional()])) as Record<
      NoticeKind,
      z.ZodOptional<typeof delivery>
    >,
  )
  .strict();

export type Preferences = Record<NoticeKind, NotificationDelivery>;

/** Someone's choice for every kind they may choose for (email where they never chose). */
export async function preferencesOf(db: DbOrTx, userId: string): Promise<Partial<Preferences>> {
  const rows = await db.notificationPreference.findMany({ where: { userId }, select: { kind: true, delivery: true } });
  const chosen = new Map(rows.map((row) => [row.kind, row.delivery]));
  return Object.fromEntries(OPTIONAL_NOTICE_KINDS.map((kind) => [kind, chosen.get(kind) ?? "EMAIL"]));
}

/** Sets the caller's own choices; kinds left out keep theirs. */
export const setNotificationPreferences = defineMutation({
  name: "notifications.set-preferences",
  description: "choose how you are notified",
  permission: "inventory:write",
  input: setPreferencesInput,
  async run({ tx, actor, audit }, input) {
    const userId = actorUserId(actor);
    if (!userId) throw forbidden("choose notifications: only a person has notification choices");
    const before = await preferencesOf(tx, userId);
    const changes = Object.entries(input).filter(([kind, value]) => value !== undefined && before[kind as NoticeKind] !== value) as [
      NoticeKind,
      NotificationDelivery,
    ][];
    for (const [kind, value] of changes) {
      await tx.notificationPreference.upsert({
        where: { userId_kind: { userId, kind } },
        create: { userId, kind, delivery: value },
        update: { delivery: value },
      });
    }
    if (changes.length > 0) {
      await audit({
        action: "notifications.preferences_changed",
        targetType: "user",
        targetId: userId,
        data: Object.fromEntries(changes.map(([kind, value]) => [kind, { from: before[kind], to: value }])),
      });
    }
    return preferencesOf(tx, userId);
  },
});

/** Messages waiting for someone's next digest. */
export function pendingDigestCount(db: DbOrTx, userId: string): Promise<number> {
  return db.digestEntry.count({ where: { userId, digestedAt: null } });
}
