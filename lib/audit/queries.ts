import type { Db } from "@/lib/db/client";

export const AUDIT_PAGE_SIZE = 100;

/** Newest first; `beforeSeq` pages back through older events. */
export async function listAuditEvents(db: Db, options: { beforeSeq?: bigint; limit?: number } = {}) {
  return db.auditEvent.findMany({
    where: options.beforeSeq ? { seq: { lt: options.beforeSeq } } : undefined,
    orderBy: { seq: "desc" },
    take: options.limit ?? AUDIT_PAGE_SIZE,
  });
}
