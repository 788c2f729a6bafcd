import { z } from "zod";
import { findPageAfter } from "@/lib/db/cursor-page";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { notFound } from "@/lib/errors";
import { environmentSchema, sensitivitySchema } from "@/lib/validation/inventory";
import { queryFlag } from "@/lib/validation/query-params";

// Reading systems for the API: one by id, or a filtered list in name order, paged by cursor.

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

export const systemListQuery = z.object({
  environment: optional(environmentSchema),
  /** The effective sensitivity, which the risk rule reads. */
  sensitivity: optional(sensitivitySchema),
  /** Registered by a member, with a proposed sensitivity awaiting a security lead. */
  awaitingConfirmation: queryFlag,
});

export type SystemListQuery = z.output<typeof systemListQuery>;

export function systemListWhere(query: SystemListQuery): Prisma.SystemWhereInput {
  const and: Prisma.SystemWhereInput[] = [];
  if (query.environment) and.push({ environment: query.environment });
  if (query.sensitivity) and.push({ sensitivity: query.sensitivity });
  if (query.awaitingConfirmation !== undefined) and.push({ proposedSensitivity: query.awaitingConfirmation ? { not: null } : null });
  return { AND: and };
}

export async function findSystemsAfter(db: Db, query: SystemListQuery, cursor: string | undefined, limit: number) {
  return findPageAfter(
    cursor,
    limit,
    (page) =>
      db.system.findMany({ where: systemListWhere(query), orderBy: [{ name: "asc" }, { environment: "asc" }, { id: "asc" }], ...page }),
    async (id) => (await db.system.count({ where: { id } })) > 0,
  );
}

export async function findSystem(db: Db, id: string) {
  const system = await db.system.findUnique({ where: { id } });
  if (!system) throw notFound("That system");
  return system;
}
