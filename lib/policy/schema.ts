// The Cedar schema of Warrant's world, which every policy is validated
// against. Principals are AI identities; resources are the systems they reach
// and the tools they call. Attribute values are Warrant's enum names as
// strings ("PROD", "RESTRICTED", "ACTIVE"), so policies read like the UI.
//
// The context is one shape for every action, so a policy may test any part
// of it; what a kind of request does not carry is optional (a tool call has
// `tool`, an action on a system has `grantedPermissions` filled in).

export const POLICY_SCHEMA = `
entity User;
entity Team;

entity Identity in [Team] {
  kind: String,
  environment: String,
  autonomy: String,
  status: String,
  riskTier: String,
  reviewOverdue: Bool,
  owner: User,
};

entity System {
  kind: String,
  environment: String,
  sensitivity: String,
  owner?: User,
};

// A tool an agent calls, named as the agent names it: "Bash", "Write", "mcp__github__create_pull_request".
entity Tool;

type ToolCall = {
  name: String,
  // For shell tools: the command line as the agent sent it.
  command?: String,
  // For file tools: the path written or read.
  path?: String,
  // SHA-256 of the call's canonical arguments; what an approval of this exact call is bound to.
  argumentsHash: String,
};

type Credential = {
  // "api_token" (the identity's standing token) or "jit" (a task-scoped token).
  kind: String,
  id: String,
};

type RequestContext = {
  taskId?: String,
  taskIntent?: String,
  // Unix seconds when the request was judged.
  now: Long,
  credential: Credential,
  // A human approved this exact call (an approval request bound to its arguments hash).
  humanApproved: Bool,
  // Permissions of the identity's live grants on the resource system (empty for tools).
  grantedPermissions: Set<String>,
  tool?: ToolCall,
  // The environment a tool call acts on, when the caller knows it (e.g. a deploy command's target).
  targetEnvironment?: String,
};

action read, write, deploy, admin appliesTo {
  principal: Identity,
  resource: System,
  context: RequestContext,
};

action call_tool appliesTo {
  principal: Identity,
  resource: Tool,
  context: RequestContext,
};
`;

export const SYSTEM_ACTIONS = ["read", "write", "deploy", "admin"] as const;
export type SystemAction = (typeof SYSTEM_ACTIONS)[number];
export type PolicyAction = SystemAction | "call_tool";
