import { apiQuery } from "@/lib/api/handler";
import { listAuditEvents } from "@/lib/audit/queries";
import { prisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

/** Newest first, 100 a page; pass ?before=<seq> for older events. */
export const GET = apiQuery("audit:read", async ({ request }) => {
  const before = new URL(request.url).searchParams.get("before");
  if (before !== null && !/^\d+$/.test(before)) {
    throw new AppError("validation_failed", "before must be an event sequence number.", { before: "must be a whole number" });
  }
  const events = await listAuditEvents(prisma, { beforeSeq: before ? BigInt(before) : undefined });
  return { events, nextBefore: events.length > 0 ? events.at(-1)!.seq : null };
});
