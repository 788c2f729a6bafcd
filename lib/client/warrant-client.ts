// A small typed client for Warrant's runtime API, as an agent or gateway
// calls it: authorize before acting, wait on an approval, report what was
// done. It only needs `fetch`, so it runs in Node 18+, browsers and edge
// runtimes; the adapters, the tests and the bench use it.

export type Outcome = "allow" | "deny" | "require_approval";

export type AuthorizeRequest =
  | { action: "read" | "write" | "deploy" | "admin"; systemId: string; taskId?: string; taskIntent?: string }
  | {
      action: "call_tool";
      tool: { name: string; arguments?: Record<string, unknown> };
      targetEnvironment?: "DEV" | "STAGING" | "PROD";
      callId?: string;
      taskId?: string;
      taskIntent?: string;
    };

export interface ApprovalRequestRef {
  id: string;
  status: string;
  summary: string;
  expiresAt: string;
  /** The request's page, relative to Warrant's URL. */
  link: string;
}

export interface AuthorizeResponse {
  decisionId: string;
  outcome: Outcome;
  policyIds: string[];
  reasons: string[];
  policyVersion: number;
  approvalRequest?: ApprovalRequestRef;
  approvedBy?: { approvalRequestId: string };
}

export interface CallApprovalState {
  id: string;
  status: string;
  summary: string;
  expiresAt: string;
  outcome: string | null;
  /** True once approved: the identical call is now allowed once. */
  retry: boolean;
}

export interface AccessRequest {
  systemId: string;
  actions: ("read" | "write" | "deploy" | "admin")[];
  taskIntent: string;
  taskId?: string;
  ttlMinutes?: number;
}

/** An access request: `issued` carries the token (once), `pending_approval` the request a human decides. */
export interface AccessGrantState {
  id: string;
  status: string;
  token?: string;
  expiresAt?: string | null;
  approvalRequest?: { id: string; status: string };
}

/** One reported event (see POST /api/v1/events). */
export interface ActivityEventInput {
  kind: "tool_call" | "token_use" | "privileged_action";
  occurredAt?: string;
  tool?: string;
  arguments?: Record<string, unknown>;
  action?: "read" | "write" | "deploy" | "admin";
  systemId?: string;
  result?: "success" | "failure";
  decisionId?: string;
  sessionId?: string;
  taskId?: string;
  detail?: Record<string, unknown>;
}

/** Warrant's error answer: `{"error": {"code", "message", "fields"}}` with its HTTP status. */
export class WarrantError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = "WarrantError";
  }
}

/** Warrant's answer to a submitted scan report (POST /api/v1/discovery/scans). */
export interface SubmitScanResponse {
  scan: { id: string; [field: string]: unknown };
  /** `flagged`: registered or linked footprints that now reach beyond their identity's grants. */
  counts: { total: number; new: number; seenAgain: number; gone: number; flagged: number };
  /** The repository's findings in the Discovered queue, relative to Warrant's URL. */
  link: string;
}

export interface WarrantClientOptions {
  /** Warrant's URL, e.g. https://warrant.example.com */
  baseUrl: string;
  /** The identity's agent token (wai_…) or a just-in-time token; an API token for submitScan. */
  token: string;
  fetch?: typeof fetch;
}

export function createWarrantClient(options: WarrantClientOptions) {
  const send = options.fetch ?? fetch;

  async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const response = await send(new URL(`/api/v1/${path}`, options.baseUrl), {
      method,
      headers: { authorization: `Bearer ${options.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string; fields?: Record<string, string> } }).error;
      throw new WarrantError(
        response.status,
        error?.code ?? "unknown",
        error?.message ?? `Warrant answered ${response.status}`,
        error?.fields,
      );
    }
    return parsed as T;
  }

  return {
    /** Asks before acting; every answer is stored as a decision. */
    authorize: (request: AuthorizeRequest) => call<AuthorizeResponse>("POST", "authorize", request),
    /** The state of the request for one of this identity's calls; waits up to `waitSeconds` (≤ 30) while it is pending. */
    approvalState: (requestId: string, waitSeconds = 0) =>
      call<CallApprovalState>("GET", `approval-requests/${encodeURIComponent(requestId)}?wait=${waitSeconds}`),
    /** Just-in-time access for one task: 201 issued (with the token), 202 waiting for approval; a denial throws (403). */
    requestAccess: (request: AccessRequest) => call<AccessGrantState>("POST", "access-requests", request),
    /** The access request; once approved, the first read hands out the token. */
    accessState: (id: string) => call<AccessGrantState>("GET", `access-requests/${encodeURIComponent(id)}`),
    /** The task is done: its token stops at once. */
    completeAccess: (id: string) => call<AccessGrantState>("POST", `access-requests/${encodeURIComponent(id)}/complete`, {}),
    /** Reports what was done: one event or up to 1,000; answers their places in the chain and the flags raised. */
    reportEvents: (events: ActivityEventInput[]) =>
      call<{ count: number; seqs: string[]; flags: { index: number; kind: string; reason: string }[] }>("POST", "events", { events }),
    /** Claude Code's PreToolUse hook input as it is, answered in its hook output. */
    claudeCodePreToolUse: (hookInput: unknown) =>
      call<{ hookSpecificOutput: { permissionDecision: "allow" | "deny" | "ask"; permissionDecisionReason: string } }>(
        "POST",
        "hooks/claude-code/pre-tool-use",
        hookInput,
      ),
    /** Claude Code's PostToolUse hook input: the call that ran, recorded with the decision that allowed it. */
    claudeCodePostToolUse: (hookInput: unknown) =>
      call<{ recorded: number; flags: string[] }>("POST", "hooks/claude-code/post-tool-use", hookInput),
    /** A repository scan report as `npm run cli -- scan` writes it (lib/validation/discovery.ts), sent with an API token. */
    submitScan: (report: unknown) => call<SubmitScanResponse>("POST", "discovery/scans", report),
  };
}

export type WarrantClient = ReturnType<typeof createWarrantClient>;
