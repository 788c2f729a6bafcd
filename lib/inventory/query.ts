import { z } from "zod";
import { screenParameters } from "@/lib/validation/raw-input";
import type { Db, DbOrTx } from "@/lib/db/client";
import { findAllInPages, findPageAfter } from "@/lib/db/cursor-page";
import type { Prisma } from "@/lib/db/generated/client";
import type { IdentityStatus } from "@/lib/db/generated/enums";
import { fieldErrorsFromZod, validationError } from "@/lib/errors";
import { autonomySchema, environmentSchema, identityKindSchema } from "@/lib/validation/inventory";
import { queryFlag } from "@/lib/validation/query-params";
import { RiskTier, IdentityStatus as IdentityStatusValues } from "@/lib/db/generated/enums";
import { LONG_LIVED_AFTER_DAYS, SHORT_LIVED_CREDENTIAL_TYPES } from "./risk";
import { DAY_MS } from "@/lib/time";
import { LIVE_STATUSES, reviewOverdueWhere } from "./lifecycle";

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
    return list.flatMap((entry) => String(entry).split(",")).map((entry) => entry.trim()).filter(Boolean);
  }, z.array(item).optional());
}

export const inventoryQuerySchema = z.object({
  q: z.preprocess((value) => (value === "" ? undefined : value), z.string().trim().max(200, { message: "must be at most 200 characters" }).optional()),
  status: many(z.enum(Object.values(IdentityStatusValues) as [IdentityStatus, ...IdentityStatus[]], { message: `must be one of ${Object.values(IdentityStatusValues).join(", ")}` })),
  kind: many(identityKindSchema),
  environment: many(environmentSchema),
  autonomy: many(autonomySchema),
  risk: many(z.enum(Object.values(RiskTier) as [RiskTier, ...RiskTier[]], { message: `must be one of ${Object.values(RiskTier).join(", ")}` })),
  ownerId: z.preprocess((value) => (value === "" ? undefined : value), z.string().optional()),
  teamId: z.preprocess((value) => (value === "" ? undefined : value), z.string().optional()),
  reviewOverdue: queryFlag,
  orphaned: queryFlag,
  longLivedCredential: queryFlag,
  credentialAge: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.enum(Object.keys(CREDENTIAL_AGE_BUCKETS) as [CredentialAgeBucket, ...CredentialAgeBucket[]], {
      message: `must be one of ${Object.keys(CREDENTIAL_AGE_BUCKETS).join(", ")}`,
    }).optional(),
  ),
  expiresWithinDays: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce.number({ message: "must be a number of days" }).int({ message: "must be a whole number" }).min(0, { message: "must be 0 or more" }).max(3650, { message: "must be at most 3650" }).optional(),
  ),
  sort: z.preprocess((value) => (value === "" ? undefined : value), z.enum(SORTABLE_COLUMNS, { message: `must be one of ${SORTABLE_COLUMNS.join(", ")}` }).default("name")),
  dir: z.preprocess((value) => (value === "" ? undefined : value), z.enum(["asc", "desc"], { message: 'must be "asc" or "desc"' }).default("asc")),
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

/** The Prisma filter for a query. `now` is a parameter so tests can pin time. */
export function inventoryWhere(query: InventoryQuery, now = new Date()): Prisma.AiIdentityWhereInput {
  const and: Prisma.AiIdentityWhereInput[] = [];
  if (query.status) and.push({ status: { in: query.status } });
  if (query.kind) and.push({ kind: { in: query.kind } });
  if (query.environment) and.push({ environment: { in: query.environment } });
  if (query.autonomy) and.push({ autonomy: { in: query.autonomy } });
  if (query.risk) and.push({ riskTier: { in: query.risk } });
  if (query.ownerId) and.push({ ownerId: query.ownerId });
  if (query.teamId) and.push({ teamId: query.teamId });
  if (query.orphaned !== undefined) and.push(query.orphaned ? { orphanedAt: { not: null } } : { orphanedAt: null });
  if (query.reviewOverdue) and.push(reviewOverdueWhere(now));
  if (query.expiresWithinDays !== undefined) {
    and.push({ status: { in: LIVE_STATUSES }, expiresAt: { gte: now, lt: new Date(now.getTime() + query.expiresWithinDays * DAY_MS) } });
  }
  if (query.longLivedCredential !== undefined) {
    const longLived: Prisma.CredentialWhereInput = {
      status: "ACTIVE",
      type: { notIn: SHORT_LIVED_CREDENTIAL_TYPES },
      OR: [{ expiresAt: null }, { issuedAt: { lt: new Date(now.getTime() - LONG_LIVED_AFTER_DAYS * DAY_MS) } }],
    };
    and.push(query.longLivedCredential ? { credentials: { some: longLived } } : { credentials: { none: longLived } });
  }
  if (query.credentialAge) {
    // "Has an active credential issued within this age range."
    const [minDays, maxDays] = CREDENTIAL_AGE_BUCKETS[query.credentialAge];
    const issuedAt: Prisma.DateTimeFilter = { lte: new Date(now.getTime() - minDays * DAY_MS) };
    if (maxDays !== null) issuedAt.gt = new Date(now.getTime() - maxDays * DAY_MS);
    and.push({ credentials: { some: { status: "ACTIVE", issuedAt } } });
  }
  if (query.q) {
    const contains = { contains: query.q, mode: "insensitive" as const };
    and.push({ OR: [{ name: contains }, { vendor: contains }, { product: contains }, { model: contains }, { purpose: contains }] });
  }
  return and.length > 0 ? { AND: and } : {};
}

/** Sort by the chosen column, then by id so paging is stable when values tie. */
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
 * the slowest part of the inventory page (Prisma counts in id order, which
 * the trigram indexes cannot serve), and a search with over a thousand matches
 * gets refined rather than paged through. Pages past the count still load.
 */
export const SEARCH_COUNT_LIMIT = 1_000;

export function countLimitFor(query: InventoryQuery): number {
  return query.q ? SEARCH_COUNT_LIMIT : EXACT_COUNT_LIMIT;
}

/** One page for the browser table (numbered pages, with the total up to countLimitFor(query)). */
export async function findIdentitiesPage(db: Db, query: InventoryQuery, page: number, pageSize: number, now = new Date(), countLimit = countLimitFor(query)) {
  const where = inventoryWhere(query, now);
  // Page by id first, then load the page's rows with their owners and team:
  // joining the relations before the offset would join every skipped row too.
  const [pageIds, counted] = await Promise.all([
    db.aiIdentity.findMany({ where, orderBy: inventoryOrderBy(query), skip: (page - 1) * pageSize, take: pageSize, select: { id: true } }),
    db.aiIdentity.count({ where, take: countLimit + 1 }),
  ]);
  const ids = pageIds.map((row) => row.id);
  const loaded = await db.aiIdentity.findMany({ where: { id: { in: ids } }, select: inventoryRowSelect });
  const byId = new Map(loaded.map((row) => [row.id, row]));
  const rows = ids.flatMap((id) => byId.get(id) ?? []);
  const totalIsExact = counted <= countLimit;
  const total = Math.min(counted, countLimit);
  return { rows, total, totalIsExact, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

/** Prisma's findMany arguments for a query, less the paging. */
function identityPageArgs(query: InventoryQuery, now: Date) {
  return { where: inventoryWhere(query, now), orderBy: inventoryOrderBy(query), select: inventoryRowSelect };
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
    (page) => db.aiIdentity.findMany({ ...identityPageArgs(query, now), ...page }),
    async (id) => (await db.aiIdentity.count({ where: { id } })) > 0,
  );
}

/** Every matching row, in batches, for exports: memory stays flat however large the inventory. */
export async function* streamIdentities(db: DbOrTx, query: InventoryQuery, batchSize = 1000, now = new Date()): AsyncGenerator<InventoryRow> {
  for await (const rows of findAllInPages(batchSize, (page) => db.aiIdentity.findMany({ ...identityPageArgs(query, now), ...page }))) yield* rows;
}
