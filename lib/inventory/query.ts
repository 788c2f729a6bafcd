import { z } from "zod";
import { screenParameters } from "@/lib/validation/raw-input";
import type { Db, DbOrTx } from "@/lib/db/client";
import { findAllInPages, findPageAfter, type CursorArgs } from "@/lib/db/cursor-page";
import type { Prisma } from "@/lib/db/generated/client";
import type { Environment, IdentityKind, IdentityStatus } from "@/lib/db/generated/enums";
import { fieldErrorsFromZod, validationError } from "@/lib/errors";
import { autonomySchema, environmentSchema, identityKindSchema } from "@/lib/validation/inventory";
import { queryFlag } from "@/lib/validation/query-params";
import { RiskTier, IdentityStatus as IdentityStatusValues } from "@/lib/db/generated/enums";
import {
  inventoryCountSql,
  inventoryCountsSql,
  inventoryCountsWithinSql,
  inventoryRowsSql,
  identityGroupCountsSql,
  type FlatInventoryRow,
  type IdsArgs,
} from "./query-sql";

// The inventory's one query: the browser table, the list API, CSV export and
// the dashboard's links all take the same filters, search and sort, read from
// URL search params, so a view can be shared as a link.

export const SORTABLE_COLUMNS = [
  "name",
  "kind",
  "environment",
  "status",
  "riskTier",
  "owner",
  "team",
  "autonomy",
  "expiresAt",
  "nextReviewAt",
  "createdAt",
  "updatedAt",
] as const;
export type SortColumn = (typeof SORTABLE_COLUMNS)[number];

/** Age buckets (days) of active credentials, as used by the dashboard histogram. */
export const CREDENTIAL_AGE_BUCKETS = {
  "0-30": [0, 30],
  "30-90": [30, 90],
  "90-180": [90, 180],
  "180-365": [180, 365],
  "365+": [365, null],
} as const satisfies Record<string, readonly [number, number | null]>;
export type CredentialAgeBucket = keyof typeof CREDENTIAL_AGE_BUCKETS;

export const PAGE_SIZES = [25, 50, 100] as const;
export const MAX_API_PAGE_SIZE = 500;

/** A repeated param (?status=A&status=B) or a comma list (?status=A,B). */
function many<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => {
    if (value === undefined || value === "") return undefined;
    const list = Array.isArray(value) ? value : [value];
    return list
      .flatMap((entry) => String(entry).split(","))
      .map((entry) => entry.trim())
      .filter(Boolean);
  }, z.array(item).optional());
}

export const inventoryQuerySchema = z.object({
  q: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.string().trim().max(200, { message: "must be at most 200 characters" }).optional(),
  ),
  status: many(
    z.enum(Object.values(IdentityStatusValues) as [IdentityStatus, ...IdentityStatus[]], {
      message: `must be one of ${Object.values(IdentityStatusValues).join(", ")}`,
    }),
  ),
  kind: many(identityKindSchema),
  environment: many(environmentSchema),
  autonomy: many(autonomySchema),
  risk: many(
    z.enum(Object.values(RiskTier) as [RiskTier, ...RiskTier[]], { message: `must be one of ${Object.values(RiskTier).join(", ")}` }),
  ),
  ownerId: z.preprocess((value) => (value === "" ? undefined : value), z.string().optional()),
  teamId: z.preprocess((value) => (value === "" ? undefined : value), z.string().optional()),
  reviewOverdue: queryFlag,
  orphaned: queryFlag,
  longLivedCredential: queryFlag,
  credentialAge: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z
      .enum(Object.keys(CREDENTIAL_AGE_BUCKETS) as [CredentialAgeBucket, ...CredentialAgeBucket[]], {
        message: `must be one of ${Object.keys(CREDENTIAL_AGE_BUCKETS).join(", ")}`,
      })
      .optional(),
  ),
  expiresWithinDays: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce
      .number({ message: "must be a number of days" })
      .int({ message: "must be a whole number" })
      .min(0, { message: "must be 0 or more" })
      .max(3650, { message: "must be at most 3650" })
      .optional(),
  ),
  sort: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.enum(SORTABLE_COLUMNS, { message: `must be one of ${SORTABLE_COLUMNS.join(", ")}` }).default("name"),
  ),
  dir: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.enum(["asc", "desc"], { message: 'must be "asc" or "desc"' }).default("asc"),
  ),
});

export type InventoryQuery = z.infer<typeof inventoryQuerySchema>;

export type SearchParamsInput = URLSearchParams | Record<string, string | string[] | undefined>;

function toRecord(params: SearchParamsInput): Record<string, string | string[] | undefined> {
  if (!(params instanceof URLSearchParams)) return params;
  const record: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    record[key] = values.length > 1 ? values : values[0]!;
  }
  return record;
}

/** Parses filters from URL search params; throws a 422 naming each bad param. */
export function parseInventoryQuery(params: SearchParamsInput): InventoryQuery {
  const record = toRecord(params);
  // The page and the export read these too; a NUL would reach the database as an error.
  const refused = screenParameters(record);
  if (Object.keys(refused).length > 0) throw validationError(refused);
  const result = inventoryQuerySchema.safeParse(record);
  if (!result.success) {
    // "status.1" → "status": the client sent one parameter, however many values it held.
    const fields = Object.entries(fieldErrorsFromZod(result.error)).map(([field, message]) => [field.split(".")[0]!, message]);
    throw validationError(Object.fromEntries(fields.reverse()));
  }
  return result.data;
}

/**
 * The query's order as Prisma's orderBy, for rows fetched by id (the export of
 * selected rows); the same order as the SQL in query-sql.ts.
 */
export function inventoryOrderBy(query: InventoryQuery): Prisma.AiIdentityOrderByWithRelationInput[] {
  const dir = query.dir;
  const primary: Prisma.AiIdentityOrderByWithRelationInput =
    query.sort === "owner" ? { owner: { name: dir } } : query.sort === "team" ? { team: { name: dir } } : { [query.sort]: dir };
  return [primary, { id: dir }];
}

export const inventoryRowSelect = {
  id: true,
  name: true,
  kind: true,
  vendor: true,
  product: true,
  model: true,
  purpose: true,
  environment: true,
  autonomy: true,
  status: true,
  riskTier: true,
  expiresAt: true,
  nextReviewAt: true,
  orphanedAt: true,
  externalId: true,
  createdAt: true,
  updatedAt: true,
  owner: { select: { id: true, name: true, email: true } },
  backupOwner: { select: { id: true, name: true, email: true } },
  team: { select: { id: true, name: true } },
} satisfies Prisma.AiIdentitySelect;

export type InventoryRow = Prisma.AiIdentityGetPayload<{ select: typeof inventoryRowSelect }>;

/**
 * The browser table counts matches exactly up to this many and says "more
 * than" beyond it: an exact count of a broad filter over the whole inventory
 * costs more than the page itself. The dashboard, the API and exports are not
 * capped.
 */
export const EXACT_COUNT_LIMIT = 10_000;
/**
 * A search counts to a lower limit. Counting every match of a common word was
 * the slowest part of the inventory page, and a search with over a thousand
 * matches gets refined rather than paged through. Pages past the count still load.
 */
export const SEARCH_COUNT_LIMIT = 1_000;

export function countLimitFor(query: InventoryQuery): number {
  return query.q ? SEARCH_COUNT_LIMIT : EXACT_COUNT_LIMIT;
}

/** One page of rows, in the query's order, in one SQL statement (see query-sql.ts for why). */
async function findRows(db: DbOrTx, query: InventoryQuery, now: Date, args: IdsArgs): Promise<InventoryRow[]> {
  const rows = await db.$queryRaw<FlatInventoryRow[]>(inventoryRowsSql(query, now, args));
  return rows.map((row): InventoryRow => ({
    id: row.id,
    name: row.name,
    kind: row.kind as InventoryRow["kind"],
    vendor: row.vendor,
    product: row.product,
    model: row.model,
    purpose: row.purpose,
    environment: row.environment as InventoryRow["environment"],
    autonomy: row.autonomy as InventoryRow["autonomy"],
    status: row.status as InventoryRow["status"],
    riskTier: row.riskTier as InventoryRow["riskTier"],
    expiresAt: row.expiresAt,
    nextReviewAt: row.nextReviewAt,
    orphanedAt: row.orphanedAt,
    externalId: row.externalId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    owner: { id: row.ownerId, name: row.ownerName, email: row.ownerEmail },
    backupOwner: row.backupOwnerId ? { id: row.backupOwnerId, name: row.backupOwnerName, email: row.backupOwnerEmail! } : null,
    team: row.teamId ? { id: row.teamId, name: row.teamName! } : null,
  }));
}

/** How many identities match each query, exactly, in one statement (the dashboard's numbers). */
export async function countIdentitiesEach(db: DbOrTx, queries: InventoryQuery[], now = new Date()): Promise<number[]> {
  if (queries.length === 0) return [];
  const [row] = await db.$queryRaw<Record<string, number>[]>(inventoryCountsSql(queries, now));
  return queries.map((_, index) => row![`c${index}`]!);
}

/** How many identities match both `within` and each query, counted in one pass over `within`'s rows. */
export async function countIdentitiesWithin(
  db: Db,
  within: InventoryQuery,
  queries: InventoryQuery[],
  now = new Date(),
): Promise<number[]> {
  if (queries.length === 0) return [];
  const [row] = await queryWithoutParallelWorkers<Record<string, number>>(db, inventoryCountsWithinSql(within, queries, now));
  return queries.map((_, index) => row![`c${index}`]!);
}

/**
 * Runs a statement that passes over many identities with PostgreSQL's parallel workers off. On one
 * backend such a pass is cheap (35 ms over the 80,000 identities in use of the bench, 11 ms for the
 * grouped count); PostgreSQL plans it in parallel on a table that large, which measured three to six
 * times slower on a 2-core machine: its workers start for each statement and compete for the same
 * cores with the page's other statements.
 */
async function queryWithoutParallelWorkers<Row>(db: Db, statement: Prisma.Sql): Promise<Row[]> {
  const [, rows] = await db.$transaction([db.$executeRaw`SET LOCAL max_parallel_workers_per_gather = 0`, db.$queryRaw<Row[]>(statement)]);
  return rows;
}

/** How many identities share one combination of status, risk tier, kind and environment. */
export interface IdentityGroup {
  status: IdentityStatus;
  riskTier: RiskTier;
  kind: IdentityKind;
  environment: Environment;
  count: number;
}

/** Every combination of status, risk tier, kind and environment that identities have, with how many have it. */
export async function countIdentityGroups(db: Db): Promise<IdentityGroup[]> {
  return queryWithoutParallelWorkers<IdentityGroup>(db, identityGroupCountsSql());
}

/** The filters countFromGroups answers (besides the order, which a count ignores). */
const GROUP_FILTERS = new Set(["status", "risk", "kind", "environment", "sort", "dir"]);

/**
 * How many identities `query` matches, summed from `groups`: the answer
 * counting it would give, for a query that filters on status, risk, kind and
 * environment only (each "is one of these", as in inventoryConditionsSql).
 * Any other filter is refused rather than ignored.
 */
export function countFromGroups(groups: IdentityGroup[], query: InventoryQuery): number {
  const others = Object.entries(query).filter(([key, value]) => value !== undefined && !GROUP_FILTERS.has(key));
  if (others.length > 0) throw new Error(`countFromGroups cannot count by ${others.map(([key]) => key).join(", ")}`);
  const admits = (chosen: readonly string[] | undefined, value: string) => chosen === undefined || chosen.includes(value);
  return groups
    .filter(
      (group) =>
        admits(query.status, group.status) &&
        admits(query.risk, group.riskTier) &&
        admits(query.kind, group.kind) &&
        admits(query.environment, group.environment),
    )
    .reduce((sum, group) => sum + group.count, 0);
}

/** One page for the browser table (numbered pages, with the total up to countLimit). */
export async function findIdentitiesPage(
  db: Db,
  query: InventoryQuery,
  page: number,
  pageSize: number,
  now = new Date(),
  countLimit = countLimitFor(query),
) {
  const [rows, [counted]] = await Promise.all([
    findRows(db, query, now, { take: pageSize, skip: (page - 1) * pageSize }),
    db.$queryRaw<{ count: number }[]>(inventoryCountSql(query, now, countLimit + 1)),
  ]);
  const totalIsExact = counted!.count <= countLimit;
  const total = Math.min(counted!.count, countLimit);
  return { rows, total, totalIsExact, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

/** One cursor page's rows. */
function fetchAfter(db: DbOrTx, query: InventoryQuery, now: Date, args: CursorArgs): Promise<InventoryRow[]> {
  return findRows(db, query, now, { take: args.take, cursor: args.cursor?.id });
}

/**
 * One page for the API: cursor paging (the cursor is the last row's id; see
 * lib/db/cursor-page.ts), stable under inserts and under rows leaving the filter.
 * A cursor the client sent that names no identity is a 422.
 */
export async function findIdentitiesAfter(db: DbOrTx, query: InventoryQuery, cursor: string | undefined, limit: number, now = new Date()) {
  return findPageAfter(
    cursor,
    limit,
    (page) => fetchAfter(db, query, now, page),
    async (id) => (await db.aiIdentity.count({ where: { id } })) > 0,
  );
}

/** Every matching row, in batches, for exports: memory stays flat however large the inventory. */
export async function* streamIdentities(
  db: DbOrTx,
  query: InventoryQuery,
  batchSize = 1000,
  now = new Date(),
): AsyncGenerator<InventoryRow> {
  for await (const rows of findAllInPages(batchSize, (page) => fetchAfter(db, query, now, page))) yield* rows;
}
