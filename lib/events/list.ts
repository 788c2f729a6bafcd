import { z } from "zod";
import type { DbOrTx } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { ActivityFlagKind, ActivityKind } from "@/lib/db/generated/enums";
import { fieldErrorsFromZod } from "@/lib/errors";
import { PAGE_SIZES } from "@/lib/inventory/query";
import { positionSchema, type PageSize } from "@/lib/inventory/view";
import { enumOf } from "@/lib/validation/inventory";

// The Activity log: reported events, newest first, filtered by identity, kind,
// tool, flags and time, a page at a time. One query serves the Activity page
// and the identity page's recent tool calls and flags. Everyone who may read
// the inventory may read its activity (inventory:read).

const sql = Prisma.sql;

/** Counting stops here: past it the page says "more than 10,000" (paging still reaches them). */
export const ACTIVITY_COUNT_LIMIT = 10_000;

const optionalId = z.preprocess((value) => (value === "" ? undefined : value), z.string().trim().min(1).max(64).optional());
const optionalDate = z.preprocess(
  (value) => (value === "" ? undefined : value),
  z.coerce.date({ message: "must be a date, e.g. 2026-11-30" }).optional(),
);
const flagParam = z.preprocess((value) => (value === "" ? undefined : value), z.enum(["1"], { message: "must be 1" }).optional());

export const activityListQuery = z.object({
  identity: optionalId,
  kind: z.preprocess((value) => (value === "" ? undefined : value), enumOf(ActivityKind).optional()),
  tool: z.preprocess((value) => (value === "" ? undefined : value), z.string().trim().min(1).max(200).optional()),
  /** Only events with a flag (any kind, or `flag`'s). */
  flagged: flagParam,
  flag: z.preprocess((value) => (value === "" ? undefined : value), enumOf(ActivityFlagKind).optional()),
  /** occurredAt on or after this instant, and before `to`. */
  from: optionalDate,
  to: optionalDate,
});

export type ActivityListQuery = z.output<typeof activityListQuery>;

export interface ActivityFlagItem {
  kind: ActivityFlagKind;
  reason: string;
}

export interface ActivityItem {
  seq: string;
  occurredAt: Date;
  receivedAt: Date;
  identityId: string;
  identityName: string;
  kind: ActivityKind;
  tool: string | null;
  action: string | null;
  systemId: string | null;
  systemName: string | null;
  result: string | null;
  decisionId: string | null;
  credentialKind: string;
  taskId: string | null;
  flags: ActivityFlagItem[];
}

function conditionsSql(query: ActivityListQuery): Prisma.Sql {
  const and: Prisma.Sql[] = [];
  if (query.identity) and.push(sql`e."identityId" = ${query.identity}`);
  if (query.kind) and.push(sql`e."kind" = CAST(${query.kind} AS "ActivityKind")`);
  if (query.tool) and.push(sql`e."tool" = ${query.tool}`);
  if (query.flagged || query.flag) {
    const kind = query.flag ? sql` AND f."kind" = CAST(${query.flag} AS "ActivityFlagKind")` : Prisma.empty;
    const who = query.identity ? sql` AND f."identityId" = ${query.identity}` : Prisma.empty;
    and.push(sql`e."seq" IN (SELECT f."eventSeq" FROM "ActivityFlag" f WHERE TRUE${kind}${who})`);
  }
  if (query.from) and.push(sql`e."occurredAt" >= ${query.from}`);
  if (query.to) and.push(sql`e."occurredAt" < ${query.to}`);
  return and.length > 0 ? Prisma.join(and, " AND ") : sql`TRUE`;
}

export interface ActivityPage {
  items: ActivityItem[];
  total: number;
  totalIsExact: boolean;
  page: number;
  pageSize: number;
}

export async function findActivityPage(db: DbOrTx, query: ActivityListQuery, page: number, pageSize: number): Promise<ActivityPage> {
  const where = conditionsSql(query);
  const [rows, counted] = await Promise.all([
    db.$queryRaw<Omit<ActivityItem, "flags">[]>`
      SELECT e."seq"::text AS "seq", e."occurredAt", e."receivedAt", e."identityId", i."name" AS "identityName", e."kind"::text AS "kind",
             e."tool", e."action", e."systemId", s."name" AS "systemName", e."result", e."decisionId", e."credentialKind", e."taskId"
        FROM (SELECT * FROM "ActivityEvent" e WHERE ${where} ORDER BY e."seq" DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}) e
        JOIN "AiIdentity" i ON i."id" = e."identityId"
        LEFT JOIN "System" s ON s."id" = e."systemId"
       ORDER BY e."seq" DESC`,
    db.$queryRaw<{ count: number }[]>`
      SELECT count(*)::int AS "count" FROM (SELECT 1 FROM "ActivityEvent" e WHERE ${where} LIMIT ${ACTIVITY_COUNT_LIMIT + 1}) matched`,
  ]);
  const flags =
    rows.length > 0
      ? await db.activityFlag.findMany({
          where: { eventSeq: { in: rows.map((row) => BigInt(row.seq)) } },
          select: { eventSeq: true, kind: true, reason: true },
          orderBy: [{ eventSeq: "desc" }, { kind: "asc" }],
        })
      : [];
  const total = counted[0]?.count ?? 0;
  return {
    items: rows.map((row) => ({
      ...row,
      flags: flags.filter((flag) => flag.eventSeq.toString() === row.seq).map(({ kind, reason }) => ({ kind, reason })),
    })),
    total: Math.min(total, ACTIVITY_COUNT_LIMIT),
    totalIsExact: total <= ACTIVITY_COUNT_LIMIT,
    page,
    pageSize,
  };
}

export interface RecentFlag {
  eventSeq: string;
  kind: ActivityFlagKind;
  reason: string;
  occurredAt: Date;
}

/** An identity's newest flags (the identity page). */
export async function findRecentFlags(db: DbOrTx, identityId: string, take = 20): Promise<RecentFlag[]> {
  const flags = await db.activityFlag.findMany({
    where: { identityId },
    orderBy: [{ eventSeq: "desc" }, { kind: "asc" }],
    take,
    select: { eventSeq: true, kind: true, reason: true, occurredAt: true },
  });
  return flags.map((flag) => ({ ...flag, eventSeq: flag.eventSeq.toString() }));
}

export interface ActivityListView {
  query: ActivityListQuery;
  page: number;
  pageSize: PageSize;
  /** Params that were refused and left out, with why. */
  refused: Record<string, string>;
}

type Params = Record<string, string | string[] | undefined>;
const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
const QUERY_PARAMS = Object.keys(activityListQuery.shape);

/** The page's view from the URL: a bad param is left out (and named), the rest of the view stays. */
export function parseActivityListView(params: Params): ActivityListView {
  const refused: Record<string, string> = {};
  let record = Object.fromEntries(QUERY_PARAMS.map((name) => [name, single(params[name])]));
  let parsed = activityListQuery.safeParse(record);
  if (!parsed.success) {
    const fields = fieldErrorsFromZod(parsed.error);
    Object.assign(refused, fields);
    record = Object.fromEntries(Object.entries(record).filter(([name]) => !(name in fields)));
    parsed = activityListQuery.safeParse(record);
  }
  const query = parsed.success ? parsed.data : activityListQuery.parse({});
  const position = positionSchema.safeParse({ page: single(params.page), pageSize: single(params.pageSize) });
  if (!position.success) Object.assign(refused, fieldErrorsFromZod(position.error));
  const { page, pageSize } = position.success ? position.data : { page: 1, pageSize: PAGE_SIZES[0] };
  return { query, page, pageSize: pageSize as PageSize, refused };
}

/** The Activity log's address for a filter, e.g. an identity's flagged events. */
export function activityHref(filters: Partial<Record<keyof ActivityListQuery, string>>): string {
  const params = new URLSearchParams(Object.entries(filters).filter((entry): entry is [string, string] => Boolean(entry[1])));
  const search = params.toString();
  return search ? `/activity?${search}` : "/activity";
}

/** The name shown for the identity filter; null when no identity has that id. */
export async function findIdentityName(db: DbOrTx, identityId: string): Promise<string | null> {
  return (await db.aiIdentity.findUnique({ where: { id: identityId }, select: { name: true } }))?.name ?? null;
}

/** The identity page's activity: its newest 20 tool calls and 20 flags. */
export async function findIdentityActivity(db: DbOrTx, identityId: string) {
  const [toolCalls, flags] = await Promise.all([
    findActivityPage(db, { identity: identityId, kind: "TOOL_CALL" }, 1, 20),
    findRecentFlags(db, identityId, 20),
  ]);
  return { toolCalls: toolCalls.items, flags };
}
