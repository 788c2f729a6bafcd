import type { DbOrTx } from "@/lib/db/client";
import type { ApprovalRequest } from "@/lib/db/generated/client";
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
