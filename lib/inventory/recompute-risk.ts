import type { Db, Tx } from "@/lib/db/client";
import { assessRisk } from "./risk";

/**
 * Recomputes and stores one identity's risk tier and reasons. Every mutation
 * that changes an input of the rule calls this in its own transaction.
 */
export async function recomputeRisk(tx: Tx, identityId: string, now = new Date()) {
  const identity = await tx.aiIdentity.findUniqueOrThrow({
    where: { id: identityId },
    include: { grants: { include: { system: true } }, credentials: true },
  });
  const { tier, reasons } = assessRisk(identity, now);
  if (tier !== identity.riskTier || JSON.stringify(reasons) !== JSON.stringify(identity.riskReasons)) {
    await tx.aiIdentity.update({ where: { id: identityId }, data: { riskTier: tier, riskReasons: reasons } });
  }
  return { tier, reasons };
}

/**
 * Recomputes every identity, for inputs that change with time alone (credential
 * age, overdue reviews). Runs in batches; returns how many tiers changed.
 */
export async function recomputeAllRisk(db: Db, now = new Date()): Promise<number> {
  let changed = 0;
  let cursor: string | undefined;
  for (;;) {
    const batch = await db.aiIdentity.findMany({
      take: 500,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
      orderBy: { id: "asc" },
      include: { grants: { include: { system: true } }, credentials: true },
    });
    if (batch.length === 0) return changed;
    for (const identity of batch) {
      const { tier, reasons } = assessRisk(identity, now);
      if (tier !== identity.riskTier || JSON.stringify(reasons) !== JSON.stringify(identity.riskReasons)) {
        await db.aiIdentity.update({ where: { id: identity.id }, data: { riskTier: tier, riskReasons: reasons } });
        changed += 1;
      }
    }
    cursor = batch.at(-1)!.id;
  }
}
