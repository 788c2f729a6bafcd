import { cache } from "react";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import type { DbOrTx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { fieldErrorsFromZod, notFound, type FieldErrors } from "@/lib/errors";
import { actorUserId, isInventoryManager } from "@/lib/inventory/access";
import { LIVE_STATUSES } from "@/lib/inventory/lifecycle";
import { PAGE_SIZES } from "@/lib/inventory/query";
import { DETECTOR_IDS, FINDING_SEVERITIES } from "@/lib/validation/discovery";
import { environmentSchema } from "@/lib/validation/inventory";
import { visibleFindingsWhere } from "./access";
import { parseProposal } from "./proposal";

// The Discovered queue and a finding's page, for the browser and the API
// alike: what the actor may see (access.ts), filtered, sorted and paged from
// URL parameters.

/** Which findings a view shows: "open" is the queue, the rest its history. */
export const FINDING_VIEWS = ["open", "registered", "linked", "dismissed", "gone", "all"] as const;
export type FindingView = (typeof FINDING_VIEWS)[number];

export const FINDING_VIEW_LABELS: Record<FindingView, string> = {
  open: "Open",
  registered: "Registered",
  linked: "Linked",
  dismissed: "Dismissed",
  gone: "Gone",
  all: "All",
};

export const FINDING_SORTS = ["severity", "lastSeenAt", "firstSeenAt", "repository", "tool", "file"] as const;
export type FindingSort = (typeof FINDING_SORTS)[number];

const blankToUndefined = (value: unknown) => (value === "" ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

export const findingListParams = z.object({
  view: optional(z.enum(FINDING_VIEWS, { message: `must be one of ${FINDING_VIEWS.join(", ")}` })).default("open"),
  severity: optional(z.enum(FINDING_SEVERITIES, { message: `must be one of ${FINDING_SEVERITIES.join(", ")}` })),
  detector: optional(z.enum(DETECTOR_IDS, { message: `must be one of ${DETECTOR_IDS.join(", ")}` })),
  repository: optional(z.string().max(200)),
  environment: optional(environmentSchema),
  q: optional(z.string().trim().max(200)),
  sort: optional(z.enum(FINDING_SORTS, { message: `must be one of ${FINDING_SORTS.join(", ")}` })).default("severity"),
  dir: optional(z.enum(["asc", "desc"], { message: "must be asc or desc" })),
  page: optional(z.coerce.number().int().min(1, { message: "must be 1 or more" })).default(1),
  pageSize: optional(
    z.coerce
      .number()
      .int()
      .refine((size) => (PAGE_SIZES as readonly number[]).includes(size), { message: `must be one of ${PAGE_SIZES.join(", ")}` }),
  ).default(PAGE_SIZES[0]),
});
export type FindingListQuery = z.output<typeof findingListParams>;

/** Parses the parameters one by one, so one bad parameter is named and ignored rather than failing the page. */
export function parseFindingListParams(params: Record<string, string | string[] | undefined>): {
  query: FindingListQuery;
  refused: FieldErrors;
} {
  const single: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) if (typeof value === "string") single[name] = value;
  const refused: FieldErrors = {};
  const parsed = findingListParams.safeParse(single);
  if (parsed.success) return { query: parsed.data, refused };
  Object.assign(refused, fieldErrorsFromZod(parsed.error));
  for (const name of Object.keys(refused)) delete single[name];
  return { query: findingListParams.parse(single), refused };
}

function viewWhere(view: FindingView): Prisma.DiscoveryFindingWhereInput {
  switch (view) {
    case "open":
      return { status: "OPEN", goneAt: null };
    case "registered":
      return { status: "REGISTERED" };
    case "linked":
      return { status: "LINKED" };
    case "dismissed":
      return { status: "DISMISSED" };
    case "gone":
      return { goneAt: { not: null } };
    case "all":
      return {};
  }
}

/** The direction the queue is sorted in: as asked, else most severe and most recent first, names A to Z. */
export function findingSortDir(query: FindingListQuery): "asc" | "desc" {
  return query.dir ?? (query.sort === "severity" || query.sort === "lastSeenAt" || query.sort === "firstSeenAt" ? "desc" : "asc");
}

function orderBy(query: FindingListQuery): Prisma.DiscoveryFindingOrderByWithRelationInput[] {
  const dir = findingSortDir(query);
  // Severity is an enum declared LOW, MEDIUM, HIGH, so its order is its rank.
  const primary: Prisma.DiscoveryFindingOrderByWithRelationInput =
    query.sort === "repository" ? { repository: { name: dir } } : { [query.sort]: dir };
  return [primary, { lastSeenAt: "desc" }, { id: "asc" }];
}

export async function findFindingsPage(db: DbOrTx, actor: Actor, query: FindingListQuery) {
  const where: Prisma.DiscoveryFindingWhereInput = {
    AND: [
      await visibleFindingsWhere(db, actor),
      viewWhere(query.view),
      query.severity ? { severity: query.severity } : {},
      query.detector ? { detector: query.detector } : {},
      query.repository ? { repository: { name: query.repository } } : {},
      query.environment ? { repository: { environment: query.environment } } : {},
      query.q
        ? {
            OR: [
              { title: { contains: query.q, mode: "insensitive" } },
              { tool: { contains: query.q, mode: "insensitive" } },
              { file: { contains: query.q, mode: "insensitive" } },
              { repository: { name: { contains: query.q, mode: "insensitive" } } },
            ],
          }
        : {},
    ],
  };
  const [rows, total] = await Promise.all([
    db.discoveryFinding.findMany({
      where,
      orderBy: orderBy(query),
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      include: { repository: { select: { name: true, environment: true } }, identity: { select: { id: true, name: true, status: true } } },
    }),
    db.discoveryFinding.count({ where }),
  ]);
  const waiting = await pendingRegistrations(
    db,
    rows.map((row) => row.id),
  );
  const data = rows.map((row) => ({ ...toFindingSummary(row), pendingRequestId: waiting.get(row.id) ?? null }));
  return { data, total, page: query.page, pageSize: query.pageSize };
}

/** The registrations of these findings that wait for approval: finding id → request id. */
async function pendingRegistrations(db: DbOrTx, findingIds: string[]): Promise<Map<string, string>> {
  if (findingIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ findingId: string; id: string }[]>`
    SELECT r."input"->>'findingId' AS "findingId", r."id" FROM "ApprovalRequest" r
    WHERE r."mutation" = 'discovery.register-finding' AND r."status" = 'PENDING' AND r."input"->>'findingId' = ANY(${findingIds}::text[])`;
  return new Map(rows.map((row) => [row.findingId, row.id]));
}

type FindingRow = Prisma.DiscoveryFindingGetPayload<{
  include: { repository: { select: { name: true; environment: true } }; identity: { select: { id: true; name: true; status: true } } };
}>;

/** A finding as the queue, the API and an identity's page show it. */
export function toFindingSummary(row: FindingRow) {
  return {
    id: row.id,
    repository: row.repository.name,
    environment: row.repository.environment,
    detector: row.detector,
    severity: row.severity,
    status: row.status,
    gone: row.goneAt !== null,
    tool: row.tool,
    title: row.title,
    file: row.file,
    line: row.line,
    proposal: parseProposal(row.proposal),
    identity: row.identity,
    beyondGrants: row.broaderPermissions,
    firstSeenAt: row.firstSeenAt,
    lastSeenAt: row.lastSeenAt,
    goneAt: row.goneAt,
  };
}
export type FindingSummary = ReturnType<typeof toFindingSummary>;

/** One finding with its evidence, its repository's latest scans and any pending registration request. */
export async function findingDetail(db: DbOrTx, actor: Actor, findingId: string) {
  // The finding with what its page shows, in the read that checks the actor may see it.
  const row = await db.discoveryFinding.findFirst({
    where: { AND: [{ id: findingId }, await visibleFindingsWhere(db, actor)] },
    include: {
      repository: { select: { name: true, environment: true, teamId: true, team: { select: { id: true, name: true } } } },
      identity: { select: { id: true, name: true, status: true } },
    },
  });
  if (!row) throw notFound("That finding");
  const [scans, pendingRequest] = await Promise.all([
    db.discoveryScan.findMany({ where: { repositoryId: row.repositoryId }, orderBy: { submittedAt: "desc" }, take: 5 }),
    db.approvalRequest.findFirst({
      where: { mutation: "discovery.register-finding", status: "PENDING", input: { path: ["findingId"], equals: row.id } },
      select: { id: true, summary: true, expiresAt: true },
    }),
  ]);
  // Two footprints of one tool (its settings and its CLAUDE.md) propose the same identity: once one is
  // registered, the other is best linked to it, and registering it again would clash on the name.
  const proposedName = parseProposal(row.proposal)?.name;
  const sameNameIdentity = proposedName
    ? await db.aiIdentity.findUnique({
        where: { name_environment: { name: proposedName, environment: row.repository.environment } },
        select: { id: true, name: true, status: true },
      })
    : null;
  return {
    ...toFindingSummary(row),
    sameNameIdentity,
    subject: row.subject,
    snippet: row.snippet,
    details: row.details as Record<string, unknown>,
    fingerprint: row.fingerprint,
    decidedAt: row.decidedAt,
    decidedBy: row.decidedBy,
    dismissReason: row.dismissReason,
    flaggedAt: row.flaggedAt,
    repositoryId: row.repositoryId,
    teamId: row.repository.teamId,
    /** The repository's team: who besides security leads, admins and auditors sees its findings. */
    team: row.repository.team,
    recentScans: scans,
    pendingRequest,
  };
}
export type FindingDetail = Awaited<ReturnType<typeof findingDetail>>;

/** The footprints registered as or linked to an identity, for its page (the identity's own visibility rules apply there). */
export async function footprintsOf(db: DbOrTx, identityId: string) {
  const rows = await db.discoveryFinding.findMany({
    where: { identityId },
    orderBy: [{ goneAt: { sort: "asc", nulls: "first" } }, { lastSeenAt: "desc" }],
    take: 100,
    include: { repository: { select: { name: true, environment: true } }, identity: { select: { id: true, name: true, status: true } } },
  });
  return rows.map(toFindingSummary);
}

/**
 * How many open findings the actor may see: the navigation's count, and My
 * tasks'. Counted once per page render (React's cache), as countWaitingFor.
 */
export const openFindingCount = cache(async (db: DbOrTx, actor: Actor): Promise<number> => {
  return db.discoveryFinding.count({ where: { AND: [await visibleFindingsWhere(db, actor), viewWhere("open")] } });
});

/** The repositories the actor may see, for the queue's filter. */
export async function visibleRepositories(db: DbOrTx, actor: Actor) {
  const where = await visibleFindingsWhere(db, actor);
  return db.discoveryRepository.findMany({
    where: { findings: { some: where } },
    orderBy: [{ name: "asc" }, { environment: "asc" }],
    select: { id: true, name: true, environment: true, lastScanAt: true, team: { select: { name: true } } },
  });
}

/** At most this many identities are offered to link a finding to; the form filters them by name. */
export const LINKABLE_IDENTITIES_LIMIT = 200;

/** Identities in service the actor may manage, the ones a finding may be linked to (linkFinding checks the same). */
export async function linkableIdentities(db: DbOrTx, actor: Actor) {
  const userId = actorUserId(actor);
  const mine: Prisma.AiIdentityWhereInput = isInventoryManager(actor)
    ? {}
    : userId
      ? { OR: [{ ownerId: userId }, { backupOwnerId: userId }] }
      : { id: { in: [] } };
  return db.aiIdentity.findMany({
    where: { AND: [{ status: { in: LIVE_STATUSES } }, mine] },
    orderBy: [{ name: "asc" }, { environment: "asc" }],
    take: LINKABLE_IDENTITIES_LIMIT,
    select: { id: true, name: true, environment: true, kind: true, status: true },
  });
}
