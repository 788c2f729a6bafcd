import type { CedarRequest } from "./engine";
import type { SystemAction } from "./schema";

// Warrant's view of one runtime request, turned into Cedar's: the identity
// (principal) with its owner and team, the system or tool (resource), and the
// context. Callers read the rows; this module only shapes them, so policies
// can be tested without a database.

export interface PolicyIdentity {
  id: string;
  kind: string;
  environment: string;
  autonomy: string;
  status: string;
  riskTier: string;
  reviewOverdue: boolean;
  ownerId: string;
  teamId: string | null;
}

export interface PolicySystem {
  id: string;
  kind: string;
  environment: string;
  sensitivity: string;
  ownerId: string | null;
}

export interface PolicyToolCall {
  name: string;
  command?: string;
  path?: string;
  argumentsHash: string;
}

interface Common {
  identity: PolicyIdentity;
  now: Date;
  credential: { kind: "api_token" | "jit"; id: string };
  humanApproved: boolean;
  taskId?: string;
  taskIntent?: string;
}

export type PolicyRequest =
  | (Common & { action: SystemAction; system: PolicySystem; grantedPermissions: string[] })
  | (Common & { action: "call_tool"; tool: PolicyToolCall; targetEnvironment?: string });

const uid = (type: string, id: string) => ({ type, id });

export function toCedarRequest(request: PolicyRequest): CedarRequest {
  const { identity } = request;
  const entities: CedarRequest["entities"] = [
    {
      uid: uid("Identity", identity.id),
      attrs: {
        kind: identity.kind,
        environment: identity.environment,
        autonomy: identity.autonomy,
        status: identity.status,
        riskTier: identity.riskTier,
        reviewOverdue: identity.reviewOverdue,
        owner: { __entity: uid("User", identity.ownerId) },
      },
      parents: identity.teamId ? [uid("Team", identity.teamId)] : [],
    },
    { uid: uid("User", identity.ownerId), attrs: {}, parents: [] },
  ];
  if (identity.teamId) entities.push({ uid: uid("Team", identity.teamId), attrs: {}, parents: [] });

  const context: CedarRequest["context"] = {
    now: Math.floor(request.now.getTime() / 1000),
    credential: { kind: request.credential.kind, id: request.credential.id },
    humanApproved: request.humanApproved,
    grantedPermissions: request.action === "call_tool" ? [] : request.grantedPermissions,
    ...(request.taskId ? { taskId: request.taskId } : {}),
    ...(request.taskIntent ? { taskIntent: request.taskIntent } : {}),
  };

  let resource;
  if (request.action === "call_tool") {
    resource = uid("Tool", request.tool.name);
    entities.push({ uid: resource, attrs: {}, parents: [] });
    const { name, command, path, argumentsHash } = request.tool;
    context.tool = { name, argumentsHash, ...(command !== undefined ? { command } : {}), ...(path !== undefined ? { path } : {}) };
    if (request.targetEnvironment) context.targetEnvironment = request.targetEnvironment;
  } else {
    const { system } = request;
    resource = uid("System", system.id);
    entities.push({
      uid: resource,
      attrs: {
        kind: system.kind,
        environment: system.environment,
        sensitivity: system.sensitivity,
        ...(system.ownerId ? { owner: { __entity: uid("User", system.ownerId) } } : {}),
      },
      parents: [],
    });
    if (system.ownerId && system.ownerId !== identity.ownerId) entities.push({ uid: uid("User", system.ownerId), attrs: {}, parents: [] });
  }
  return { principal: uid("Identity", identity.id), action: uid("Action", request.action), resource, context, entities };
}
