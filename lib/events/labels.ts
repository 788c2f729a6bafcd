import type { ActivityFlagKind, ActivityKind } from "@/lib/db/generated/enums";

// How the browser names activity kinds and flags.

export const ACTIVITY_KIND_LABELS: Record<ActivityKind, string> = {
  TOOL_CALL: "Tool call",
  TOKEN_USE: "Token use",
  PRIVILEGED_ACTION: "Privileged action",
};

export const ACTIVITY_FLAG_LABELS: Record<ActivityFlagKind, string> = {
  CREDENTIAL_NOT_VALID: "Expired or revoked credential",
  NO_ALLOWING_DECISION: "No allowing decision",
  OUTSIDE_ENVIRONMENT: "Outside its environment",
  NOT_GRANTED: "Not granted",
  BURST: "Burst",
};
