import type { DbOrTx } from "@/lib/db/client";
import { LIVE_STATUSES } from "@/lib/inventory/lifecycle";
import { DAY_MS } from "@/lib/time";
import { EXPIRY_WARNING_DAYS } from "./occasions";

/** Identities someone owns or backs up that expire within the first warning's reach (14 days), soonest first: My tasks. */
export function expiringSoonFor(db: DbOrTx, userId: string, now: Date, limit: number) {
  return db.aiIdentity.findMany({
    where: {
      OR: [{ ownerId: userId }, { backupOwnerId: userId }],
      status: { in: LIVE_STATUSES },
      expiresAt: { gt: now, lte: new Date(now.getTime() + EXPIRY_WARNING_DAYS[0] * DAY_MS) },
    },
    orderBy: [{ expiresAt: "asc" }, { id: "asc" }],
    take: limit,
    select: { id: true, name: true, environment: true, expiresAt: true },
  });
}
