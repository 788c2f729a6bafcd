import { z } from "zod";
import { findPageAfter } from "@/lib/db/cursor-page";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { environmentSchema, sensitivitySchema } from "@/lib/validation/inventory";

// The systems list of the API: filters, in name order, paged by cursor.

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

export const systemListQuery = z.object({
  environment: optional(environmentSchema),
  sensitivity: optional(sensitivitySchema),
});

export type SystemListQuery = z.output<typeof systemListQuery>;

export function systemListWhere(query: SystemListQuery): Prisma.SystemWhereInput {
  const and: Prisma.SystemWhereInput[] = [];
  if (query.environment) and.push({ environment: query.environment });
  if (query.sensitivity) and.push({ sensitivity: query.sensitivity });
  return { AND: and };
}

export async function findSystemsAfter(db: Db, query: SystemListQuery, cursor: string | undefined, limit: number) {
  return findPageAfter(
    cursor,
    limit,
    (page) => db.system.findMany({ where: systemListWhere(query), orderBy: [{ name: "asc" }, { environment: "asc" }, { id: "asc" }], ...page }),
    async (id) => (await db.system.count({ where: { id } })) > 0,
  );
}
