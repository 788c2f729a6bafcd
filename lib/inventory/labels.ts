import type {
  Autonomy,
  CredentialType,
  Environment,
  GrantMode,
  IdentityKind,
  IdentityStatus,
  Permission,
  RiskTier,
  Sensitivity,
  SystemKind,
} from "@/lib/db/generated/enums";

// How the inventory's enum values read to people. Plain data, so server pages,
// client forms and audit summaries all say the same thing.

export const KIND_LABELS: Record<IdentityKind, string> = {
  IDE_ASSISTANT: "IDE assistant",
  CODING_AGENT: "Coding agent",
  CI_BOT: "CI bot",
  CHAT_INTEGRATION: "Chat integration",
  MCP_SERVER: "MCP server",
  PLUGIN: "Plugin",
  OTHER: "Other",
};

export const STATUS_LABELS: Record<IdentityStatus, string> = {
  PROPOSED: "Proposed",
  ACTIVE: "Active",
  SUSPENDED: "Suspended",
  EXPIRED: "Expired",
  REVOKED: "Revoked",
  RETIRED: "Retired",
};

export const ENVIRONMENT_LABELS: Record<Environment, string> = { DEV: "Dev", STAGING: "Staging", PROD: "Prod" };

export const AUTONOMY_LABELS: Record<Autonomy, string> = {
  SUGGEST: "Suggest",
  DRAFT: "Draft",
  EXECUTE: "Execute",
  AUTONOMOUS: "Autonomous",
};

export const PERMISSION_LABELS: Record<Permission, string> = { READ: "Read", WRITE: "Write", DEPLOY: "Deploy", ADMIN: "Admin" };

export const GRANT_MODE_LABELS: Record<GrantMode, string> = { STANDING: "Standing", JUST_IN_TIME: "Just-in-time" };

export const CREDENTIAL_TYPE_LABELS: Record<CredentialType, string> = {
  API_KEY: "API key",
  PAT: "Personal access token",
  OAUTH_TOKEN: "OAuth token",
  GITHUB_APP: "GitHub App",
  CLOUD_ROLE: "Cloud role",
  SSH_KEY: "SSH key",
  JIT_TOKEN: "JIT token",
};

export const SYSTEM_KIND_LABELS: Record<SystemKind, string> = {
  REPOSITORY: "Repository",
  CLOUD_ACCOUNT: "Cloud account",
  CI_CD: "CI/CD",
  TICKETING: "Ticketing",
  MESSAGING: "Messaging",
  SECRET_STORE: "Secret store",
  DATABASE: "Database",
  DEPLOY_TARGET: "Deploy target",
  INTERNAL_API: "Internal API",
};

export const SENSITIVITY_LABELS: Record<Sensitivity, string> = {
  PUBLIC: "Public",
  INTERNAL: "Internal",
  CONFIDENTIAL: "Confidential",
  RESTRICTED: "Restricted",
};

export const RISK_LABELS: Record<RiskTier, string> = { LOW: "Low", MEDIUM: "Medium", HIGH: "High", CRITICAL: "Critical" };

/** [value, label] pairs in declaration order, for <select> options. */
export function optionsOf<T extends string>(labels: Record<T, string>): [T, string][] {
  return Object.entries(labels) as [T, string][];
}
