import { z } from "zod";
import { can, type Actor } from "@/lib/auth/actor";
import type { Db } from "@/lib/db/client";
import type { ApprovalStatus, Prisma } from "@/lib/db/generated/client";
import { forbidden, notFound } from "@/lib/errors";
import { CATALOG, type CatalogKey } from "./catalog";
import { requestParties } from "./parties";
import { currentLevel, fitsLevel, levelFor, levelsSchema } from "./rules";
import { waitingCountSql, waitingIdsSql } from "./waiting";

// Reading approval requests. Everyone sees the requests they made and those
// they may decide or have decided; security leads, admins and auditors see
// all of them ("approvals:read").

export const APPROVAL_VIEWS = ["waiting", "mine", "all", "history"] as const;
export type ApprovalView = (typeof APPROVAL_VIEWS)[number];

const STATUSES = ["PENDING", "APPLIED", "REJECTED", "EXPIRED", "WITHDRAWN", "FAILED"] as const;

export const approvalListQuery = z.object({
  view: z.enum(APPROVAL_VIEWS, { message: `must be one of ${APPROVAL_VIEWS.join(", ")}` }).default("waiting"),
  status: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.enum(STATUSES, { message: `must be one of ${STATUSES.join(", ")}` }).optional(),
  ),
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
async function waitingFor(db: Db, actor: Actor, limit: number, cursor?: string) {
  if (actor.kind === "system") return [];
  const decider = { userId: actor.userId, roles: actor.roles };
  const ids = (await db.$queryRaw<{ id: string }[]>(waitingIdsSql(decider, new Date(), { limit, cursor }))).map((row) => row.id);
  const rows = await db.approvalRequest.findMany({ where: { id: { in: ids } }, select: listSelect });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export async function listApprovalRequests(db: Db, actor: Actor, query: ApprovalListQuery, page: { limit: number; cursor?: string }) {
  if ((query.view === "all" || query.view === "history") && !can(actor, "approvals:read")) {
    throw forbidden("see every approval request: security leads, admins and auditors may");
  }
  let rows;
  if (query.view === "waiting") {
    rows = await waitingFor(db, actor, page.limit + 1, page.cursor);
  } else {
    const where: Prisma.ApprovalRequestWhereInput = {
      ...(query.view === "mine" && actor.kind !== "system" ? { requesterId: actor.userId } : {}),
      ...(query.view === "history" ? { status: { not: "PENDING" as ApprovalStatus } } : {}),
      ...(query.status ? { status: query.status } : {}),
    };
    rows = await db.approvalRequest.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: listSelect,
      take: page.limit + 1,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    });
  }
  const hasMore = rows.length > page.limit;
  const data = rows.slice(0, page.limit).map(toListItem);
  return { data, nextCursor: hasMore ? data.at(-1)!.id : null };
}

type ListRow = Prisma.ApprovalRequestGetPayload<{ select: typeof listSelect }>;

function toListItem(row: ListRow) {
  const levels = levelsSchema.parse(row.levels);
  const parties = { requesterId: row.requesterId, identityOwnerIds: [], systemOwnerIds: [], levels, decisions: row.decisions };
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

/** How many requests wait for `actor`'s decision (the header's badge and My tasks). */
export async function countWaitingFor(db: Db, actor: Actor): Promise<number> {
  if (actor.kind === "system") return 0;
  const [row] = await db.$queryRaw<{ count: number }[]>(waitingCountSql({ userId: actor.userId, roles: actor.roles }, new Date()));
  return row!.count;
}
