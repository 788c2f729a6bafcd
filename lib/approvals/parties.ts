import type { DbOrTx, Tx } from "@/lib/db/client";
import type { ApprovalRequest } from "@/lib/db/generated/client";
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
  return partiesOf({ ...request, identity, system, decisions });
}

type Owners = { ownerId: string | null; backupOwnerId: string | null } | null;

/** The same, from a request already read with its identity's and system's owners and its decisions. */
export function partiesOf(request: {
  requesterId: string;
  levels: ApprovalRequest["levels"];
  identity: Owners;
  system: Owners;
  decisions: RequestParties["decisions"];
}): RequestParties {
  const present = (owners: Owners) => [owners?.ownerId, owners?.backupOwnerId].filter((id): id is string => typeof id === "string");
  return {
    requesterId: request.requesterId,
    identityOwnerIds: present(request.identity),
    systemOwnerIds: present(request.system),
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
};

/**
 * A request with its parties and requester in one statement (a decision is a
 * chain of round trips, and this is five of them in one). Read it after the
 * request's row is locked, in a statement of its own: a statement sees what
 * was committed when it began, so one that waited for the lock itself would
 * miss the decision it waited for.
 */
export async function readDecidingRequest(tx: Tx, id: string): Promise<DecidingRequest | undefined> {
  const [row] = await tx.$queryRaw<DecidingRow[]>`
    SELECT r."id", r."status"::text AS "status", r."mutation", r."input", r."summary", r."justification", r."catalogKey",
           r."identityId", r."systemId", r."requesterId", r."expiresAt", r."waitingLevel", r."levels",
           u."active" AS "requesterActive", u."email" AS "requesterEmail", u."roles"::text[] AS "requesterRoles",
           i."ownerId" AS "identityOwnerId", i."backupOwnerId" AS "identityBackupOwnerId",
           s."ownerId" AS "systemOwnerId", s."backupOwnerId" AS "systemBackupOwnerId",
           coalesce((SELECT json_agg(json_build_object('level', d."level", 'deciderId', d."deciderId", 'verdict', d."verdict")
                                     ORDER BY d."createdAt", d."id")
                     FROM "ApprovalDecision" d WHERE d."requestId" = r."id"), '[]'::json) AS "decisions"
    FROM "ApprovalRequest" r
    JOIN "User" u ON u."id" = r."requesterId"
    LEFT JOIN "AiIdentity" i ON i."id" = r."identityId"
    LEFT JOIN "System" s ON s."id" = r."systemId"
    WHERE r."id" = ${id}`;
  if (!row) return undefined;
  const {
    levels,
    requesterActive,
    requesterEmail,
    requesterRoles,
    identityOwnerId,
    identityBackupOwnerId,
    systemOwnerId,
    systemBackupOwnerId,
    decisions,
    ...request
  } = row;
  return {
    ...request,
    parties: partiesOf({
      requesterId: request.requesterId,
      levels,
      identity: { ownerId: identityOwnerId, backupOwnerId: identityBackupOwnerId },
      system: { ownerId: systemOwnerId, backupOwnerId: systemBackupOwnerId },
      decisions,
    }),
    requester: { id: request.requesterId, active: requesterActive, email: requesterEmail, roles: requesterRoles },
  };
}
