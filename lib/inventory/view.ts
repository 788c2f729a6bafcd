import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError, fieldErrorsFromZod, toAppError, validationError } from "@/lib/errors";
import { personChoice } from "@/lib/users/queries";
import { isReviewOverdue, orphanedForLabel } from "./lifecycle";
import {
  findIdentitiesPage,
  PAGE_SIZES,
  parseInventoryQuery,
  type InventoryQuery,
  type InventoryRow,
  type SearchParamsInput,
} from "./query";

// What the inventory page shows: the shared inventory query (filters, search,
// sort) plus the page's own position params. A bad param does not break the
// page: the view falls back to no filters and says which param was wrong.

export type PageSize = (typeof PAGE_SIZES)[number];
export const DEFAULT_PAGE_SIZE: PageSize = PAGE_SIZES[0];

export const positionSchema = z.object({
  page: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce
      .number({ message: "must be a page number" })
      .int({ message: "must be a whole number" })
      .min(1, { message: "must be 1 or more" })
      .default(1),
  ),
  pageSize: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce
      .number({ message: `must be one of ${PAGE_SIZES.join(", ")}` })
      .refine((size): size is PageSize => (PAGE_SIZES as readonly number[]).includes(size), {
        message: `must be one of ${PAGE_SIZES.join(", ")}`,
      })
      .default(DEFAULT_PAGE_SIZE),
  ),
});

export interface InventoryView {
  query: InventoryQuery;
  page: number;
  pageSize: PageSize;
  /** Set when a param was refused; the view then shows everything, unfiltered. */
  error?: AppError;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function parseInventoryView(params: SearchParamsInput): InventoryView {
  const get = (name: string) => (params instanceof URLSearchParams ? (params.get(name) ?? undefined) : single(params[name]));
  const position = positionSchema.safeParse({ page: get("page"), pageSize: get("pageSize") });
  let query: InventoryQuery | undefined;
  let error: AppError | undefined;
  try {
    query = parseInventoryQuery(params);
  } catch (caught) {
    error = toAppError(caught);
    if (!error) throw caught;
  }
  if (error || !position.success) {
    error = validationError({ ...error?.fields, ...(position.success ? {} : fieldErrorsFromZod(position.error)) });
  }
  if (error || !query || !position.success) {
    return { query: parseInventoryQuery({}), page: 1, pageSize: DEFAULT_PAGE_SIZE, error };
  }
  return { query, page: position.data.page, pageSize: position.data.pageSize as PageSize };
}

/** One page of the table; a page past the end shows the last page instead of nothing. */
export async function loadInventoryPage(db: Db, view: InventoryView, now = new Date()) {
  const result = await findIdentitiesPage(db, view.query, view.page, view.pageSize, now);
  if (result.rows.length === 0 && result.total > 0 && view.page > result.pageCount) {
    return findIdentitiesPage(db, view.query, result.pageCount, view.pageSize, now);
  }
  return result;
}

/**
 * Choices for the filters: every team, and the person the owner filter is set
 * to (owners are looked up as you type, see components/person-picker.tsx).
 */
export async function loadInventoryChoices(db: Db, query: InventoryQuery) {
  const [owner, teams] = await Promise.all([
    query.ownerId ? db.user.findUnique({ where: { id: query.ownerId }, select: { id: true, name: true, email: true } }) : null,
    db.team.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
  ]);
  return {
    owner: owner ? personChoice(owner) : null,
    teams: teams.map((team) => ({ id: team.id, label: team.name })),
  };
}

/** What the browser table needs of a row: plain values only, dates as ISO strings. */
export interface InventoryTableRow {
  id: string;
  name: string;
  kind: InventoryRow["kind"];
  environment: InventoryRow["environment"];
  status: InventoryRow["status"];
  riskTier: InventoryRow["riskTier"];
  autonomy: InventoryRow["autonomy"];
  ownerName: string;
  teamName: string | null;
  expiresAt: string;
  nextReviewAt: string;
  orphanedAt: string | null;
  /** How long it has been orphaned ("12 days"), for the orphan queue; null when it is not. */
  orphanedFor: string | null;
  /** Same rule as the reviewOverdue filter: a live identity whose review date has passed. */
  reviewOverdue: boolean;
}

export function toInventoryTableRow(row: InventoryRow, now = new Date()): InventoryTableRow {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    environment: row.environment,
    status: row.status,
    riskTier: row.riskTier,
    autonomy: row.autonomy,
    ownerName: row.owner.name ?? row.owner.email,
    teamName: row.team?.name ?? null,
    expiresAt: row.expiresAt.toISOString(),
    nextReviewAt: row.nextReviewAt.toISOString(),
    orphanedAt: row.orphanedAt?.toISOString() ?? null,
    orphanedFor: row.orphanedAt ? orphanedForLabel(row.orphanedAt, now) : null,
    reviewOverdue: isReviewOverdue(row, now),
  };
}
