import { z } from "zod";
import { can, type Actor } from "@/lib/auth/actor";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import type { DecisionOutcome } from "@/lib/db/generated/enums";
import { findPageAfter } from "@/lib/db/cursor-page";
import { forbidden, notFound } from "@/lib/errors";
import type { Outcome } from "./engine";
import { decisionCountSql, decisionIdsSql, DECISION_SORTS, type DecisionConditions, type DecisionSort } from "./decision-list-sql";
import { SYSTEM_ACTIONS } from "./schema";
import { activePolicySet } from "./store";

// Reading the stored runtime decisions: the Decisions log (browser table and
// API), one decision with everything stored, and an identity's recent ones.
// Whoever reads the policies reads their decisions ("policies:read": every
// member, since owners need to know why their agents were stopped).

export const DECISION_OUTCOMES = ["allow", "deny", "require_approval"] as const;
export const DECISION_ACTIONS = [...SYSTEM_ACTIONS, "call_tool"] as const;

const OUTCOME_TO_DB: Record<Outcome, DecisionOutcome> = { allow: "ALLOW", deny: "DENY", require_approval: "REQUIRE_APPROVAL" };
export const OUTCOME_FROM_DB: Record<DecisionOutcome, Outcome> = { ALLOW: "allow", DENY: "deny", REQUIRE_APPROVAL: "require_approval" };

/** "" (an empty form field) and blanks mean "not given". */
const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * An instant from a date (a UTC day: its start, or with `endOfDay` the start
 * of the next day, so "to 2026-11-30" includes that whole day) or an ISO 8601
 * date-time (UTC unless it names an offset).
 */
function instant(endOfDay: boolean) {
  return z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .refine((text) => DATE_ONLY.test(text) || DATE_TIME.test(text), {
        message: "must be a date (2026-11-30) or an ISO 8601 date-time (2026-11-30T14:00:00Z)",
      })
      .transform((text, context) => {
        const zoned = DATE_ONLY.test(text) ? `${text}T00:00:00Z` : /(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}Z`;
        const date = new Date(zoned);
        if (Number.isNaN(date.getTime())) {
          context.addIssue({ code: "custom", message: "is not a real date" });
          return z.NEVER;
        }
        if (endOfDay && DATE_ONLY.test(text)) date.setUTCDate(date.getUTCDate() + 1);
        return date;
      })
      .optional(),
  );
}

const text = (max: number, message: string) => z.preprocess(blankToUndefined, z.string().trim().max(max, { message }).optional());

export const decisionListQuery = z
  .object({
    identity: text(64, "must be an identity's id"),
    outcome: z.preprocess(
      blankToUndefined,
      z.enum(DECISION_OUTCOMES, { message: `must be one of ${DECISION_OUTCOMES.join(", ")}` }).optional(),
    ),
    action: z.preprocess(
      blankToUndefined,
      z.enum(DECISION_ACTIONS, { message: `must be one of ${DECISION_ACTIONS.join(", ")}` }).optional(),
    ),
    resource: text(200, "must be a system's id or a tool's name (at most 200 characters)"),
    policy: text(200, "must be a policy's @id (at most 200 characters)"),
    from: instant(false),
    to: instant(true),
    q: text(200, "must be at most 200 characters"),
    sort: z.preprocess(blankToUndefined, z.enum(DECISION_SORTS, { message: `must be one of ${DECISION_SORTS.join(", ")}` }).optional()),
    dir: z.preprocess(blankToUndefined, z.enum(["asc", "desc"], { message: 'must be "asc" or "desc"' }).optional()),
  })
  .superRefine((query, context) => {
    if (query.from && query.to && query.from >= query.to) {
      context.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
    }
  });

export type DecisionListQuery = z.output<typeof decisionListQuery>;

/** Newest first unless asked otherwise; a column asked for without a direction sorts descending (slowest, newest). */
export function decisionListOrder(query: DecisionListQuery): { sort: DecisionSort; dir: "asc" | "desc" } {
  return { sort: query.sort ?? "createdAt", dir: query.dir ?? "desc" };
}

function conditionsOf(query: DecisionListQuery): DecisionConditions {
  return {
    identityId: query.identity,
    outcome: query.outcome ? OUTCOME_TO_DB[query.outcome] : undefined,
    action: query.action,
    resourceId: query.resource,
    policyId: query.policy,
    from: query.from,
    to: query.to,
    q: query.q,
  };
}

function assertMayRead(actor: Actor) {
  if (!can(actor, "policies:read")) throw forbidden("read the runtime decisions");
}

const listSelect = {
  id: true,
  createdAt: true,
  action: true,
  resourceType: true,
  resourceId: true,
  outcome: true,
  policyIds: true,
  reasons: true,
  latencyMicros: true,
  taskId: true,
  taskIntent: true,
  humanApproved: true,
  identity: { select: { id: true, name: true, environment: true } },
  policyVersion: { select: { id: true, number: true } },
} satisfies Prisma.PolicyDecisionSelect;

type ListRow = Prisma.PolicyDecisionGetPayload<{ select: typeof listSelect }>;

/** The system a decision names, when it still exists (a tool is named by itself). */
async function systemNames(db: Db, rows: { resourceType: string; resourceId: string }[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.filter((row) => row.resourceType === "System").map((row) => row.resourceId))];
  if (ids.length === 0) return new Map();
  const systems = await db.system.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  return new Map(systems.map((system) => [system.id, system.name]));
}

function toListItem(row: ListRow, names: Map<string, string>) {
  return {
    id: row.id,
    createdAt: row.createdAt,
    identity: row.identity,
    action: row.action,
    resource: {
      type: row.resourceType as "System" | "Tool",
      id: row.resourceId,
      /** The system's name, or the tool's; null for a system since deleted. */
      name: row.resourceType === "System" ? (names.get(row.resourceId) ?? null) : row.resourceId,
    },
    outcome: OUTCOME_FROM_DB[row.outcome],
    policyIds: row.policyIds,
    reasons: row.reasons,
    latencyMicros: row.latencyMicros,
    taskId: row.taskId,
    taskIntent: row.taskIntent,
    humanApproved: row.humanApproved,
    policyVersion: row.policyVersion,
  };
}

export type DecisionListItem = ReturnType<typeof toListItem>;

/** The rows of the ids a statement selects, in its order. */
async function idsToItems(db: Db, statement: Prisma.Sql): Promise<DecisionListItem[]> {
  return decisionItemsByIds(
    db,
    (await db.$queryRaw<{ id: string }[]>(statement)).map((row) => row.id),
  );
}

/** The list items of these decisions, in the ids' order (ids since gone are left out). */
export async function decisionItemsByIds(db: Db, ids: string[]): Promise<DecisionListItem[]> {
  if (ids.length === 0) return [];
  const rows = await db.policyDecision.findMany({ where: { id: { in: ids } }, select: listSelect });
  const names = await systemNames(db, rows);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toListItem(row, names)] : [];
  });
}

/** One cursor page (the API): `limit` decisions after the one whose id is `cursor`, in the query's order. */
export async function listDecisions(db: Db, actor: Actor, query: DecisionListQuery, page: { limit: number; cursor?: string }) {
  assertMayRead(actor);
  const conditions = conditionsOf(query);
  const order = decisionListOrder(query);
  const { rows, nextCursor } = await findPageAfter(
    page.cursor,
    page.limit,
    (args) => idsToItems(db, decisionIdsSql(conditions, { ...order, take: args.take, cursor: args.cursor?.id })),
    async (id) => (await db.policyDecision.count({ where: { id } })) > 0,
  );
  return { data: rows, nextCursor };
}

/** The browser table counts matches exactly up to this many and says "more than" beyond it, as the other lists do. */
export const DECISIONS_EXACT_COUNT_LIMIT = 10_000;

/** One numbered page for the browser table, with the number of matches. A page past the end shows the last page. */
export async function findDecisionsPage(db: Db, actor: Actor, query: DecisionListQuery, page: number, pageSize: number) {
  assertMayRead(actor);
  const conditions = conditionsOf(query);
  const order = decisionListOrder(query);
  const fetchPage = (number: number) =>
    idsToItems(db, decisionIdsSql(conditions, { ...order, take: pageSize, skip: (number - 1) * pageSize }));
  const [rows, [counted]] = await Promise.all([
    fetchPage(page),
    db.$queryRaw<{ count: number }[]>(decisionCountSql(conditions, DECISIONS_EXACT_COUNT_LIMIT + 1)),
  ]);
  const totalIsExact = counted!.count <= DECISIONS_EXACT_COUNT_LIMIT;
  const total = Math.min(counted!.count, DECISIONS_EXACT_COUNT_LIMIT);
  const lastPage = Math.max(1, Math.ceil(total / pageSize));
  const shown = rows.length === 0 && total > 0 && page > lastPage ? lastPage : page;
  const data = shown === page ? rows : await fetchPage(shown);
  return { data, total, totalIsExact, page: shown, pageSize, pageCount: lastPage };
}

/** An identity's newest decisions (its page's "Recent decisions"). */
export async function recentDecisionsOf(db: Db, actor: Actor, identityId: string, limit = 20): Promise<DecisionListItem[]> {
  assertMayRead(actor);
  return idsToItems(db, decisionIdsSql({ identityId }, { sort: "createdAt", dir: "desc", take: limit }));
}

/** One decision with everything stored about it: the credential, the arguments hash, the task and the Cedar request judged. */
export async function getDecision(db: Db, actor: Actor, id: string) {
  assertMayRead(actor);
  const row = await db.policyDecision.findUnique({
    where: { id },
    select: { ...listSelect, argumentsHash: true, credentialKind: true, credentialId: true, cedarRequest: true },
  });
  if (!row) throw notFound("That decision");
  const names = await systemNames(db, [row]);
  return {
    ...toListItem(row, names),
    argumentsHash: row.argumentsHash,
    credential: { kind: row.credentialKind, id: row.credentialId },
    /** Null for decisions stored before the request was kept. */
    cedarRequest: row.cedarRequest,
  };
}

export type DecisionDetail = Awaited<ReturnType<typeof getDecision>>;

/** What the filter bar offers and shows: the active version's policy ids, and the name of the identity filtered on. */
export async function loadDecisionFilterChoices(db: Db, query: DecisionListQuery) {
  const [policies, identity] = await Promise.all([
    activePolicySet(db),
    query.identity ? db.aiIdentity.findUnique({ where: { id: query.identity }, select: { name: true } }) : null,
  ]);
  return { policyIds: policies.policies.map((policy) => policy.id), identityName: identity?.name ?? null };
}

/**
 * The newest decision about this identity's call with the client's id for it
 * (Claude Code's tool_use_id), so the report of what the call did names the
 * decision that allowed it.
 */
export async function findDecisionIdByCallId(db: Db, identityId: string, callId: string): Promise<string | null> {
  const decision = await db.policyDecision.findFirst({
    where: { identityId, callId },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  return decision?.id ?? null;
}
