import type { RiskTier } from "@/lib/db/generated/enums";
import {
  AUTONOMY_LABELS,
  CREDENTIAL_TYPE_LABELS,
  ENVIRONMENT_LABELS,
  GRANT_MODE_LABELS,
  KIND_LABELS,
  PERMISSION_LABELS,
  RISK_LABELS,
} from "./labels";
import { REVIEW_OUTCOME_LABELS, REVIEW_QUESTIONS } from "@/lib/reviews/labels";

// Turns an identity's audit events into sentences for its timeline. The audit
// data is whatever each mutation recorded; anything this file does not know
// still shows, as "field: value" pairs, so no event is ever hidden.

type Data = Record<string, unknown>;

/** User and team ids found in events, resolved to what people recognise. */
export interface TimelineNames {
  users: Map<string, string>;
  teams: Map<string, string>;
}

export const FIELD_LABELS: Record<string, string> = {
  name: "name",
  kind: "kind",
  vendor: "vendor",
  product: "product",
  model: "model",
  purpose: "purpose",
  environment: "environment",
  autonomy: "autonomy",
  ownerId: "owner",
  backupOwnerId: "backup owner",
  teamId: "team",
  expiresAt: "expiry",
  reviewCadenceDays: "review cadence (days)",
  externalId: "external id",
};

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const MAX_VALUE_LENGTH = 80;

export function text(value: unknown): string {
  if (value === null || value === undefined || value === "") return "none";
  if (typeof value === "string") {
    if (ISO_INSTANT.test(value)) return value.slice(0, 10);
    return value.length > MAX_VALUE_LENGTH ? `${value.slice(0, MAX_VALUE_LENGTH - 1)}…` : value;
  }
  if (Array.isArray(value)) return value.map(text).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function lookup(labels: Record<string, string>, value: unknown): string {
  return typeof value === "string" ? (labels[value] ?? value) : text(value);
}

export function fieldValue(field: string, value: unknown, names: TimelineNames): string {
  if (typeof value === "string") {
    if (field === "ownerId" || field === "backupOwnerId" || field === "userId") return names.users.get(value) ?? value;
    if (field === "teamId") return names.teams.get(value) ?? value;
    if (field === "kind") return lookup(KIND_LABELS, value);
    if (field === "autonomy") return lookup(AUTONOMY_LABELS, value);
    if (field === "environment") return lookup(ENVIRONMENT_LABELS, value);
  }
  return text(value);
}

function riskSuffix(data: Data): string {
  const tier = data.riskTier as RiskTier | undefined;
  return tier && RISK_LABELS[tier] ? `; risk now ${RISK_LABELS[tier]}` : "";
}

function changesText(changed: Data, names: TimelineNames, skip: string[] = []): string {
  return Object.entries(changed)
    .filter(([field]) => !skip.includes(field))
    .map(([field, value]) => `${FIELD_LABELS[field] ?? field} → ${fieldValue(field, value, names)}`)
    .join("; ");
}

function genericText(data: Data, names: TimelineNames): string {
  return Object.entries(data)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([field, value]) => `${FIELD_LABELS[field] ?? field}: ${fieldValue(field, value, names)}`)
    .join("; ");
}

function statusWord(status: unknown): string {
  return typeof status === "string" ? status.toLowerCase() : "unknown";
}

function credentialsFlagged(data: Data): string {
  const count = typeof data.credentialsFlagged === "number" ? data.credentialsFlagged : 0;
  return count > 0 ? `; ${count} credential${count === 1 ? "" : "s"} flagged for rotation` : "";
}

function sentence(parts: (string | false | undefined)[]): string {
  return parts.filter(Boolean).join("");
}

/** One readable line for an audit event about an identity; a change applied by an approval says so. */
export function summarizeEvent(action: string, rawData: unknown, names: TimelineNames): string {
  const data: Data = rawData && typeof rawData === "object" && !Array.isArray(rawData) ? (rawData as Data) : {};
  const line = summarizeChange(action, data, names);
  if (data.breakGlass !== undefined) return `${line} (break-glass: ${text(data.breakGlass)})`;
  if (typeof data.approvalRequestId === "string") return `${line} (approved, request ${data.approvalRequestId})`;
  return line;
}

function summarizeChange(action: string, data: Data, names: TimelineNames): string {
  switch (action) {
    case "approval.requested":
      return sentence([
        `Approval requested: ${text(data.summary)}`,
        data.justification ? `. Why: ${text(data.justification)}` : "",
        data.riskAfter && data.riskAfter !== data.riskBefore ? `; risk would be ${lookup(RISK_LABELS, data.riskAfter).toLowerCase()}` : "",
      ]);
    case "approval.approved":
      return sentence([
        `Approved level ${text(data.level)} (${text(data.levelName)}) of “${text(data.summary)}”`,
        data.comment ? `: ${text(data.comment)}` : "",
      ]);
    case "approval.rejected":
      return sentence([`Rejected “${text(data.summary)}” at level ${text(data.level)}`, data.comment ? `: ${text(data.comment)}` : ""]);
    case "approval.applied":
      return `Every level approved “${text(data.summary)}”: applied`;
    case "approval.failed":
      return `Approved “${text(data.summary)}”, but it no longer applied: ${text(data.reason)}`;
    case "approval.withdrawn":
      return sentence([`Request withdrawn: “${text(data.summary)}”`, data.reason ? `. Reason: ${text(data.reason)}` : ""]);
    case "approval.expired":
      return `Request expired undecided: “${text(data.summary)}”`;
    case "approval.break_glass":
      return `Break-glass: “${text(data.summary)}” applied without approval. Reason: ${text(data.reason)}`;
    case "identity.created":
      return sentence([
        `Registered ${lookup(KIND_LABELS, data.kind).toLowerCase()} in ${statusWord(data.environment)}`,
        typeof data.ownerId === "string" && `, owner ${fieldValue("ownerId", data.ownerId, names)}`,
        typeof data.backupOwnerId === "string" && `, backup owner ${fieldValue("backupOwnerId", data.backupOwnerId, names)}`,
        typeof data.autonomy === "string" && `, autonomy ${lookup(AUTONOMY_LABELS, data.autonomy).toLowerCase()}`,
        data.expiresAt !== undefined && `, expires ${text(data.expiresAt)}`,
        riskSuffix(data),
      ]);
    case "identity.updated":
    case "identity.owner_reassigned": {
      const changed = (data.changed && typeof data.changed === "object" ? data.changed : {}) as Data;
      const reassigned = action === "identity.owner_reassigned";
      const owner = reassigned
        ? `Owner reassigned from ${fieldValue("ownerId", data.previousOwnerId, names)} to ${fieldValue("ownerId", changed.ownerId, names)}`
        : "";
      const rest = changesText(changed, names, reassigned ? ["ownerId"] : []);
      const body = [owner, rest ? `${reassigned ? "also changed" : "Changed"} ${rest}` : ""].filter(Boolean).join("; ");
      return sentence([body || "Saved without changes", riskSuffix(data)]);
    }
    case "grant.created":
      return sentence([
        `Granted ${lookup(PERMISSION_LABELS, data.permission).toLowerCase()} on ${text(data.system)}`,
        ` (${lookup(GRANT_MODE_LABELS, data.mode ?? "STANDING").toLowerCase()}`,
        data.expiresAt ? `, until ${text(data.expiresAt)})` : ")",
        riskSuffix(data),
      ]);
    case "grant.revoked":
      return sentence([`Revoked ${lookup(PERMISSION_LABELS, data.permission).toLowerCase()} on ${text(data.system)}`, riskSuffix(data)]);
    case "credential.created":
      return sentence([
        `Recorded ${lookup(CREDENTIAL_TYPE_LABELS, data.type)} “${text(data.label)}”`,
        data.fingerprint ? ` (fingerprint ${text(data.fingerprint)})` : "",
        riskSuffix(data),
      ]);
    case "credential.rotated":
      return sentence([`Rotated a credential: fingerprint ${text(data.from)} → ${text(data.to)}`, riskSuffix(data)]);
    case "credential.revoked":
      return sentence([`Revoked credential “${text(data.label)}”`, riskSuffix(data)]);
    case "risk.rerated":
      return sentence([
        `Risk re-rated ${lookup(RISK_LABELS, data.from).toLowerCase()} → ${lookup(RISK_LABELS, data.to).toLowerCase()} as time passed`,
        Array.isArray(data.reasons) && data.reasons.length > 0 ? `: ${data.reasons.map(text).join("; ")}` : "",
      ]);
    case "review.opened":
      return sentence([
        data.trigger === "SCHEDULED"
          ? "Scheduled review opened"
          : data.trigger === "CHANGE"
            ? "Review opened by a change"
            : "Review opened",
        data.dueAt !== undefined && `, due ${text(data.dueAt)}`,
        data.reason ? `. Reason: ${text(data.reason)}` : "",
        credentialsFlagged(data),
      ]);
    case "review.change_added":
      return sentence([
        `A change joined the open review`,
        data.previousDueAt !== undefined ? `, now due ${text(data.dueAt)} (was ${text(data.previousDueAt)})` : `, due ${text(data.dueAt)}`,
        credentialsFlagged(data),
      ]);
    case "review.attested": {
      const no = REVIEW_QUESTIONS.filter((question) => data[question.name] === false).map((question) => question.question);
      return sentence([
        `Review attested: ${lookup(REVIEW_OUTCOME_LABELS, data.outcome).toLowerCase()}`,
        no.length > 0 ? `. Answered no to: ${no.join(" ")}` : ". All answers yes",
        data.comment ? ` Comment: ${text(data.comment)}` : "",
      ]);
    }
    case "access.requested":
      return sentence([
        `Asked for just-in-time ${text(data.actions)} on ${text(data.system)} for ${text(data.ttlMinutes)} min`,
        data.outcome === "require_approval" ? " (sent for approval)" : "",
        data.taskIntent ? `. Task: ${text(data.taskIntent)}` : "",
      ]);
    case "access.issued":
      return sentence([`Just-in-time token issued: ${text(data.actions)} on ${text(data.system)}`, riskSuffix(data)]);
    case "access.token_collected":
      return "Collected its approved just-in-time token";
    case "access.revoked":
      return sentence([`Just-in-time access to ${text(data.system)} revoked: ${text(data.reason)}`, riskSuffix(data)]);
    case "access.completed":
      return sentence([`Task completed: just-in-time access to ${text(data.system)} ended`, riskSuffix(data)]);
    case "api_token.created":
      return `API token “${text(data.name)}” created with scopes ${text(data.scopes).toLowerCase()}, expires ${text(data.expiresAt)}`;
    case "api_token.revoked":
      return `API token “${text(data.name)}” revoked`;
    default: {
      // Status changes are recorded as identity.<new status>.
      const status = action.match(/^identity\.(\w+)$/)?.[1];
      if (status && data.to !== undefined) {
        return sentence([`Status ${statusWord(data.from)} → ${statusWord(data.to)}`, data.reason ? `. Reason: ${text(data.reason)}` : ""]);
      }
      return genericText(data, names) || "No details recorded";
    }
  }
}

/** Every user and team id an event's data mentions, so they can be resolved in one query each. */
export function referencedIds(rawData: unknown): { userIds: string[]; teamIds: string[] } {
  const userIds: string[] = [];
  const teamIds: string[] = [];
  const visit = (data: unknown) => {
    if (!data || typeof data !== "object" || Array.isArray(data)) return;
    for (const [key, value] of Object.entries(data as Data)) {
      if (typeof value === "string" && ["ownerId", "backupOwnerId", "previousOwnerId", "userId"].includes(key)) userIds.push(value);
      else if (typeof value === "string" && key === "teamId") teamIds.push(value);
      else if (key === "changed") visit(value);
    }
  };
  visit(rawData);
  return { userIds, teamIds };
}
