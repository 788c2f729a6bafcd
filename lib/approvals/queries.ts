import { cache } from "react";
import { z } from "zod";
import { can, type Actor } from "@/lib/auth/actor";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { findPageAfter } from "@/lib/db/cursor-page";
import { forbidden, notFound } from "@/lib/errors";
import { CATALOG, CATALOG_KEYS, type CatalogKey } from "./catalog";
import {
  approvalCountSql,
  approvalIdsSql,
  approvalMatchingIdsSql,
  APPROVAL_SORTS,
  type ApprovalConditions,
  type ApprovalSort,
} from "./list-sql";
import { requestParties } from "./parties";
import { currentLevel, fitsLevel, levelFor, levelsSchema } from "./rules";
import { waitingCountSql, waitingIdsSql } from "./waiting";

// Reading approval requests. Everyone sees the requests they made and those
// they may decide or have decided; security leads, admins and auditors see
// all of them ("approvals:read").

export const APPROVAL_VIEWS = ["waiting", "mine", "all", "history"] as const;
export type ApprovalView = (typeof APPROVAL_VIEWS)[number];

const STATUSES = ["PENDING", "APPLIED", "REJECTED", "EXPIRED", "WITHDRAWN", "FAILED"] as const;

/** "" (an empty form field) and blanks mean "not given". */
const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

export const approvalListQuery = z
  .object({
    view: z.enum(APPROVAL_VIEWS, { message: `must be one of ${APPROVAL_VIEWS.join(", ")}` }).default("waiting"),
    status: z.preprocess(blankToUndefined, z.enum(STATUSES, { message: `must be one of ${STATUSES.join(", ")}` }).optional()),
    catalogKey: z.preprocess(
      blankToUndefined,
      z.enum(CATALOG_KEYS as [CatalogKey, ...CatalogKey[]], { message: `must be one of ${CATALOG_KEYS.join(", ")}` }).optional(),
    ),
    rule: z.preprocess(blankToUndefined, z.string().trim().max(100, { message: "must be a rule's key" }).optional()),
    q: z.preprocess(blankToUndefined, z.string().trim().max(200, { message: "must be at most 200 characters" }).optional()),
    sort: z.preprocess(blankToUndefined, z.enum(APPROVAL_SORTS, { message: `must be one of ${APPROVAL_SORTS.join(", ")}` }).optional()),
    dir: z.preprocess(blankToUndefined, z.enum(["asc", "desc"], { message: 'must be "asc" or "desc"' }).optional()),
  })
  .superRefine((query, context) => {
    // What waits for a person is worked out in order, oldest first; it has no other order to offer.
    for (const field of ["sort", "dir"] as const) {
      if (query.view === "waiting" && query[field] !== undefined) {
        context.addIssue({ code: "custom", path: [field], message: "is not offered by the waiting view, which is oldest first" });
      }
    }
  });

export type ApprovalListQuery = z.output<typeof approvalListQuery>;

const listSelect = {
  id: true,
  status: true,
  summary: true,
  catalogKey: true,
  reason: true,
  mutation: true,
  createdAt: true,
  expiresAt: true,
  closedAt: true,
  breakGlass: true,
  riskBefore: true,
  riskAfter: true,
  levels: true,
  requesterId: true,
  identityId: true,
  systemId: true,
  requester: { select: { id: true, name: true, email: true } },
  identity: { select: { id: true, name: true, environment: true } },
  rule: { select: { key: true, name: true } },
  decisions: { select: { level: true, deciderId: true, verdict: true } },
} satisfies Prisma.ApprovalRequestSelect;

/** Pending requests whose current level `actor` may decide, oldest first; at most `limit` after `cursor`. */
async function waitingFor(db: Db, actor: Actor, limit: number, cursor?: string, offset?: number) {
  if (actor.kind === "system") return [];
  const decider = { userId: actor.userId, roles: actor.roles };
  const ids = (await db.$queryRaw<{ id: string }[]>(waitingIdsSql(decider, new Date(), { limit, cursor, offset }))).map((row) => row.id);
  const rows = await db.approvalRequest.findMany({ where: { id: { in: ids } }, select: listSelect });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The list's order: newest first unless asked otherwise; a column asked for without a direction sorts ascending. */
export function approvalListOrder(query: ApprovalListQuery): { sort: ApprovalSort; dir: "asc" | "desc" } {
  if (query.view === "waiting") return { sort: "createdAt", dir: "asc" };
  return { sort: query.sort ?? "createdAt", dir: query.dir ?? (query.sort === undefined ? "desc" : "asc") };
}

function assertMayView(actor: Actor, view: ApprovalView) {
  if ((view === "all" || view === "history") && !can(actor, "approvals:read")) {
    throw forbidden("see every approval request: security leads, admins and auditors may");
  }
}

/** The view's scope and the query's filters, as the SQL in list-sql.ts takes them. */
function conditionsOf(actor: Actor, query: ApprovalListQuery): ApprovalConditions {
  return {
    ...(query.view === "mine" && actor.kind !== "system" ? { requesterId: actor.userId } : {}),
    closed: query.view === "history",
    status: query.status,
    catalogKey: query.catalogKey,
    rule: query.rule,
    q: query.q,
  };
}

const hasFilters = (query: ApprovalListQuery) => Boolean(query.status || query.catalogKey || query.rule || query.q);

/** Rows for ids, in the ids' order. */
async function rowsInOrder(db: Db, ids: string[]): Promise<ListRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.approvalRequest.findMany({ where: { id: { in: ids } }, select: listSelect });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** At most this many requests waiting for one person are listed with filters or numbered pages (the header's count is exact). */
const WAITING_LIST_LIMIT = 1000;

/** What waits for `actor` and matches the filters, oldest first: one more than WAITING_LIST_LIMIT when there are more. */
async function waitingMatching(db: Db, actor: Actor, query: ApprovalListQuery) {
  const waiting = await waitingFor(db, actor, WAITING_LIST_LIMIT + 1);
  if (!hasFilters(query) || waiting.length === 0) return waiting;
  const matched = await db.$queryRaw<{ id: string }[]>(
    approvalMatchingIdsSql(
      conditionsOf(actor, query),
      waiting.map((row) => row.id),
    ),
  );
  const keep = new Set(matched.map((row) => row.id));
  return waiting.filter((row) => keep.has(row.id));
}

/**
 * One cursor page (the API, the CLI, My tasks): `limit` rows after the row
 * whose id is `cursor`, in the query's order.
 */
export async function listApprovalRequests(db: Db, actor: Actor, query: ApprovalListQuery, page: { limit: number; cursor?: string }) {
  assertMayView(actor, query.view);
  if (query.view === "waiting") {
    let rows;
    if (hasFilters(query)) {
      const matching = await waitingMatching(db, actor, query);
      const start = page.cursor ? matching.findIndex((request) => request.id === page.cursor) + 1 : 0;
      rows = matching.slice(start, start + page.limit + 1);
    } else {
      rows = await waitingFor(db, actor, page.limit + 1, page.cursor);
    }
    const hasMore = rows.length > page.limit;
    const data = rows.slice(0, page.limit).map(toListItem);
    return { data, nextCursor: hasMore ? data.at(-1)!.id : null };
  }
  const conditions = conditionsOf(actor, query);
  const order = approvalListOrder(query);
  const matchesFirst = query.q !== undefined && (await countMatches(db, conditions)) <= APPROVALS_EXACT_COUNT_LIMIT;
  const { rows, nextCursor } = await findPageAfter(
    page.cursor,
    page.limit,
    async (args) => idsToRows(db, approvalIdsSql(conditions, { ...order, take: args.take, cursor: args.cursor?.id, matchesFirst })),
    async (id) => (await db.approvalRequest.count({ where: { id } })) > 0,
  );
  return { data: rows.map(toListItem), nextCursor };
}

/** The browser table counts matches exactly up to this many and says "more than" beyond it, as the inventory does. */
export const APPROVALS_EXACT_COUNT_LIMIT = 10_000;

/**
 * One numbered page for the browser table, with the number of matches. A
 * page past the end shows the last page.
 */
export async function findApprovalRequestsPage(db: Db, actor: Actor, query: ApprovalListQuery, page: number, pageSize: number) {
  assertMayView(actor, query.view);
  if (query.view === "waiting" && !hasFilters(query)) {
    // Counted and paged in SQL, exactly and without a cap: reading every waiting request to show one page cost a lead's inbox most of its time.
    const total = await countWaitingFor(db, actor);
    const shown = Math.min(page, Math.max(1, Math.ceil(total / pageSize)));
    return pageOf(await waitingFor(db, actor, pageSize, undefined, (shown - 1) * pageSize), total, true, shown, pageSize);
  }
  if (query.view === "waiting") {
    const matching = await waitingMatching(db, actor, query);
    const total = Math.min(matching.length, WAITING_LIST_LIMIT);
    const shown = Math.min(page, Math.max(1, Math.ceil(total / pageSize)));
    const rows = matching.slice((shown - 1) * pageSize, Math.min(shown * pageSize, total));
    return pageOf(rows, total, matching.length <= WAITING_LIST_LIMIT, shown, pageSize);
  }
  const conditions = conditionsOf(actor, query);
  const order = approvalListOrder(query);
  const fetchPage = (number: number, matchesFirst: boolean) =>
    idsToRows(db, approvalIdsSql(conditions, { ...order, take: pageSize, skip: (number - 1) * pageSize, matchesFirst }));
  // A search is counted first: how many match decides how the page is found (see ApprovalIdsArgs.matchesFirst).
  const [rows, counted] =
    query.q === undefined
      ? await Promise.all([fetchPage(page, false), countMatches(db, conditions)])
      : await countMatches(db, conditions).then(
          async (count) => [await fetchPage(page, count <= APPROVALS_EXACT_COUNT_LIMIT), count] as const,
        );
  const totalIsExact = counted <= APPROVALS_EXACT_COUNT_LIMIT;
  const total = Math.min(counted, APPROVALS_EXACT_COUNT_LIMIT);
  const lastPage = Math.max(1, Math.ceil(total / pageSize));
  if (rows.length === 0 && total > 0 && page > lastPage) {
    return pageOf(await fetchPage(lastPage, query.q !== undefined && totalIsExact), total, totalIsExact, lastPage, pageSize);
  }
  return pageOf(rows, total, totalIsExact, page, pageSize);
}

/** How many requests match, counting no further than one past APPROVALS_EXACT_COUNT_LIMIT. */
async function countMatches(db: Db, conditions: ApprovalConditions): Promise<number> {
  const [row] = await db.$queryRaw<{ count: number }[]>(approvalCountSql(conditions, APPROVALS_EXACT_COUNT_LIMIT + 1));
  return row!.count;
}

/** The rows of the ids a statement selects, in its order. */
async function idsToRows(db: Db, statement: Prisma.Sql): Promise<ListRow[]> {
  return rowsInOrder(
    db,
    (await db.$queryRaw<{ id: string }[]>(statement)).map((row) => row.id),
  );
}

function pageOf(rows: ListRow[], total: number, totalIsExact: boolean, page: number, pageSize: number) {
  return { data: rows.map(toListItem), total, totalIsExact, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

type ListRow = Prisma.ApprovalRequestGetPayload<{ select: typeof listSelect }>;

export type ApprovalListItem = ReturnType<typeof toListItem>;

function toListItem(row: ListRow) {
  const levels = levelsSchema.parse(row.levels);
  const parties = {
    requesterId: row.requesterId,
    identityOwnerIds: [],
    systemOwnerIds: [],
    inactiveApproverIds: [],
    levels,
    decisions: row.decisions,
  };
  const level = row.status === "PENDING" ? currentLevel(parties) : undefined;
  return {
    id: row.id,
    status: row.status,
    summary: row.summary,
    catalogKey: row.catalogKey,
    reason: row.reason,
    mutation: row.mutation,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    closedAt: row.closedAt,
    breakGlass: row.breakGlass,
    riskBefore: row.riskBefore,
    riskAfter: row.riskAfter,
    requesterId: row.requesterId,
    identityId: row.identityId,
    systemId: row.systemId,
    requester: row.requester,
    identity: row.identity ? { id: row.identity.id, name: row.identity.name, environment: row.identity.environment } : null,
    rule: row.rule,
    catalogLabel: CATALOG[row.catalogKey as CatalogKey]?.label ?? row.catalogKey,
    levelCount: levels.length,
    /** 1-based level the request waits for, while pending. */
    waitingForLevel: level === undefined ? null : { number: level + 1, name: levels[level]!.name },
  };
}

/** One request with everything its page shows; 404 for those the viewer may not see. */
export async function getApprovalRequest(db: Db, actor: Actor, id: string) {
  const request = await db.approvalRequest.findUnique({
    where: { id },
    include: {
      requester: { select: { id: true, name: true, email: true } },
      identity: { select: { id: true, name: true, environment: true, status: true, riskTier: true } },
      system: { select: { id: true, name: true, environment: true, sensitivity: true } },
      rule: { select: { key: true, name: true } },
      decisions: { orderBy: { createdAt: "asc" }, include: { decider: { select: { id: true, name: true, email: true } } } },
    },
  });
  if (!request) throw notFound("That approval request");
  const parties = await requestParties(db, request);
  const decider = actor.kind === "system" ? null : { userId: actor.userId, roles: actor.roles };
  const fit = decider && request.status === "PENDING" && request.expiresAt > new Date() ? levelFor(decider, parties) : null;
  const mayDecide = fit !== null && "level" in fit;
  const visible =
    actor.kind === "system" ||
    can(actor, "approvals:read") ||
    request.requesterId === actor.userId ||
    request.decisions.some((decision) => decision.deciderId === actor.userId) ||
    // Anyone named by one of its levels, also before the request reaches their level.
    (decider !== null && parties.levels.some((level) => fitsLevel(level, decider, parties)));
  if (!visible) throw notFound("That approval request");
  const level = request.status === "PENDING" ? currentLevel(parties) : undefined;
  return {
    ...request,
    levels: parties.levels,
    catalogLabel: CATALOG[request.catalogKey as CatalogKey]?.label ?? request.catalogKey,
    waitingForLevel: level === undefined ? null : { number: level + 1, name: parties.levels[level]!.name },
    viewer: {
      mayDecide,
      whyNot: fit && "refused" in fit ? fit.refused : null,
      mayWithdraw: request.status === "PENDING" && actor.kind !== "system" && actor.userId === request.requesterId,
      mayBreakGlass: request.status === "PENDING" && can(actor, "approvals:break-glass"),
    },
  };
}

/**
 * How many requests wait for `actor`'s decision (the header's badge and My
 * tasks). Counted once per page render (React's cache): the layout's badge
 * and the approvals inbox both ask, with the same actor; outside a render
 * (the API, jobs) every call counts.
 */
export const countWaitingFor = cache(async (db: Db, actor: Actor): Promise<number> => {
  if (actor.kind === "system") return 0;
  const [row] = await db.$queryRaw<{ count: number }[]>(waitingCountSql({ userId: actor.userId, roles: actor.roles }, new Date()));
  return row!.count;
});

/** The list's filter choices: every kind of change and every rule, by name. */
export async function loadApprovalFilterChoices(db: Db) {
  const rules = await db.approvalRule.findMany({ orderBy: { name: "asc" }, select: { key: true, name: true } });
  return {
    kinds: CATALOG_KEYS.map((key) => ({ value: key, label: CATALOG[key].label })),
    rules: rules.map((rule) => ({ value: rule.key, label: rule.name })),
  };
}
