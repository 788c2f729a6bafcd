import type { DbOrTx, Tx } from "@/lib/db/client";
import { Prisma, type ApprovalRequest } from "@/lib/db/generated/client";
import type { Role } from "@/lib/db/generated/enums";
import { levelsSchema, type RequestParties } from "./rules";

/** The people a request's levels refer to, read now (an owner may have changed since the request was made). */
export async function requestParties(
  tx: DbOrTx,
  request: Pick<ApprovalRequest, "id" | "requesterId" | "identityId" | "systemId" | "levels">,
): Promise<RequestParties> {
  // One after another: a transaction is one connection, which runs one query at a time.
  const identity = request.identityId
    ? await tx.aiIdentity.findUnique({ where: { id: request.identityId }, select: { ownerId: true, backupOwnerId: true } })
    : null;
  const system = request.systemId
    ? await tx.system.findUnique({ where: { id: request.systemId }, select: { ownerId: true, backupOwnerId: true } })
    : null;
  const decisions = await tx.approvalDecision.findMany({ where: { requestId: request.id }, orderBy: { createdAt: "asc" } });
  const named = [...present(identity), ...present(system), ...namedApprovers(request.levels)];
  const inactive = await tx.user.findMany({ where: { id: { in: named }, active: false }, select: { id: true } });
  return partiesOf({ ...request, identity, system, decisions, inactiveUserIds: inactive.map((user) => user.id) });
}

type Owners = { ownerId: string | null; backupOwnerId: string | null } | null;

const present = (owners: Owners) => [owners?.ownerId, owners?.backupOwnerId].filter((id): id is string => typeof id === "string");

/** The people the levels name by id. */
function namedApprovers(levels: ApprovalRequest["levels"]): string[] {
  return levelsSchema.parse(levels).flatMap((level) => (level.approvers.kind === "user" ? [level.approvers.userId] : []));
}

/**
 * The same, from a request already read with its identity's and system's
 * owners, its decisions, and which of its people (owners, named approvers)
 * are deactivated: they are left out, so their levels fall back to security
 * leads (fitsLevel in rules.ts).
 */
export function partiesOf(request: {
  requesterId: string;
  levels: ApprovalRequest["levels"];
  identity: Owners;
  system: Owners;
  decisions: RequestParties["decisions"];
  inactiveUserIds: readonly string[];
}): RequestParties {
  const active = (ids: string[]) => ids.filter((id) => !request.inactiveUserIds.includes(id));
  return {
    requesterId: request.requesterId,
    identityOwnerIds: active(present(request.identity)),
    systemOwnerIds: active(present(request.system)),
    inactiveApproverIds: namedApprovers(request.levels).filter((id) => request.inactiveUserIds.includes(id)),
    levels: levelsSchema.parse(request.levels),
    decisions: request.decisions.map(({ level, deciderId, verdict }) => ({ level, deciderId, verdict })),
  };
}

/** What deciding needs of a request: the request, its parties as they are now, and its requester (who a change applies as). */
export type DecidingRequest = Pick<
  ApprovalRequest,
  | "id"
  | "status"
  | "mutation"
  | "input"
  | "summary"
  | "justification"
  | "catalogKey"
  | "identityId"
  | "systemId"
  | "requesterId"
  | "expiresAt"
  | "waitingLevel"
> & {
  parties: RequestParties;
  requester: { id: string; active: boolean; email: string; roles: Role[] };
};

type DecidingRow = Omit<DecidingRequest, "parties" | "requester"> & {
  levels: ApprovalRequest["levels"];
  requesterActive: boolean;
  requesterEmail: string;
  requesterRoles: Role[];
  identityOwnerId: string | null;
  identityBackupOwnerId: string | null;
  systemOwnerId: string | null;
  systemBackupOwnerId: string | null;
  decisions: RequestParties["decisions"];
  inactiveUserIds: string[];
};

/**
 * A request with its parties and requester in one statement (a decision is a
 * chain of round trips, and this is five of them in one).
 *
 * With `lock`, the same statement locks the request's row first. A statement
 * sees what was committed when it began: one that waited for the lock gets
 * the row as it is now but the decisions as they were, and would miss the
 * decision it waited for. Every decision updates the request's row, so the
 * statement also reads the row's version as its snapshot saw it (xmin);
 * `current` is false when that is not the version it locked, and the caller
 * reads again in a statement of its own.
 */
export async function readDecidingRequest(
  tx: Tx,
  id: string,
  { lock = false }: { lock?: boolean } = {},
): Promise<{ request: DecidingRequest; current: boolean } | undefined> {
  const [row] = await tx.$queryRaw<(DecidingRow & { current: boolean })[]>`
    SELECT r."id", r."status"::text AS "status", r."mutation", r."input", r."summary", r."justification", r."catalogKey",
           r."identityId", r."systemId", r."requesterId", r."expiresAt", r."waitingLevel", r."levels",
           u."active" AS "requesterActive", u."email" AS "requesterEmail", u."roles"::text[] AS "requesterRoles",
           i."ownerId" AS "identityOwnerId", i."backupOwnerId" AS "identityBackupOwnerId",
           s."ownerId" AS "systemOwnerId", s."backupOwnerId" AS "systemBackupOwnerId",
           coalesce((SELECT json_agg(json_build_object('level', d."level", 'deciderId', d."deciderId", 'verdict', d."verdict")
                                     ORDER BY d."createdAt", d."id")
                     FROM "ApprovalDecision" d WHERE d."requestId" = r."id"), '[]'::json) AS "decisions",
           ARRAY(SELECT p."id" FROM "User" p
                 WHERE NOT p."active" AND p."id" = ANY(ARRAY[i."ownerId", i."backupOwnerId", s."ownerId", s."backupOwnerId"]
                   || ARRAY(SELECT l -> 'approvers' ->> 'userId' FROM jsonb_array_elements(r."levels") l))) AS "inactiveUserIds",
           r."xmin" = (SELECT seen."xmin" FROM "ApprovalRequest" seen WHERE seen."id" = r."id") AS "current"
    FROM "ApprovalRequest" r
    JOIN "User" u ON u."id" = r."requesterId"
    LEFT JOIN "AiIdentity" i ON i."id" = r."identityId"
    LEFT JOIN "System" s ON s."id" = r."systemId"
    WHERE r."id" = ${id}
    ${lock ? Prisma.sql`FOR UPDATE OF r` : Prisma.empty}`;
  if (!row) return undefined;
  const {
    current,
    levels,
    requesterActive,
    requesterEmail,
    requesterRoles,
    identityOwnerId,
    identityBackupOwnerId,
    systemOwnerId,
    systemBackupOwnerId,
    decisions,
    inactiveUserIds,
    ...request
  } = row;
  const deciding: DecidingRequest = {
    ...request,
    parties: partiesOf({
      requesterId: request.requesterId,
      levels,
      identity: { ownerId: identityOwnerId, backupOwnerId: identityBackupOwnerId },
      system: { ownerId: systemOwnerId, backupOwnerId: systemBackupOwnerId },
      decisions,
      inactiveUserIds,
    }),
    requester: { id: request.requesterId, active: requesterActive, email: requesterEmail, roles: requesterRoles },
  };
  return { request: deciding, current };
}
