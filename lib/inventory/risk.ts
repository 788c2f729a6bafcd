import type {
  Autonomy,
  CredentialStatus,
  CredentialType,
  Environment,
  GrantMode,
  IdentityStatus,
  Permission,
  RiskTier,
  Sensitivity,
} from "@/lib/db/generated/enums";
import { DAY_MS } from "@/lib/time";
import { isReviewOverdue } from "./lifecycle";

// The risk rule, written once. An identity is classified by what it can
// reach, never by what the product calls itself:
//
// 1. Reach. Each live grant scores sensitivity + permission:
//      sensitivity  PUBLIC 0, INTERNAL 1, CONFIDENTIAL 2, RESTRICTED 3 (+1 for a production system, at most 3)
//      permission   READ 0, WRITE 1, DEPLOY 2, ADMIN 2 (just-in-time grants count one less, never below 0)
//    score 0–1 → LOW, 2 → MEDIUM, 3 → HIGH, 4+ → CRITICAL. The identity's base tier is its highest grant's.
// 2. Escalations, one tier each (capped at CRITICAL):
//      - autonomy AUTONOMOUS, or EXECUTE while holding write, deploy or admin anywhere;
//      - a dev or staging identity that reaches a production system;
//      - credential hygiene: an active long-lived credential (no expiry, or older than 90 days),
//        one past its rotation period, one unused for 90 days, or one flagged for rotation by a
//        change to the identity (lib/reviews/change.ts);
//      - its review is overdue (only while it is in service: proposed, active or suspended).
// The reasons list says which of these applied, most severe first.

export const LONG_LIVED_AFTER_DAYS = 90;
export const UNUSED_AFTER_DAYS = 90;

const TIERS: RiskTier[] = ["LOW", "MEDIUM", "HIGH", "CRITICAL"];
const SENSITIVITY_SCORE: Record<Sensitivity, number> = { PUBLIC: 0, INTERNAL: 1, CONFIDENTIAL: 2, RESTRICTED: 3 };
const PERMISSION_SCORE: Record<Permission, number> = { READ: 0, WRITE: 1, DEPLOY: 2, ADMIN: 2 };
/** Short-lived by construction, so not "long-lived" even without an expiry date. */
export const SHORT_LIVED_CREDENTIAL_TYPES: CredentialType[] = ["JIT_TOKEN", "CLOUD_ROLE"];

export interface RiskInput {
  status: IdentityStatus;
  environment: Environment;
  autonomy: Autonomy;
  nextReviewAt: Date;
  grants: {
    permission: Permission;
    mode: GrantMode;
    expiresAt: Date | null;
    revokedAt: Date | null;
    system: { name: string; environment: Environment; sensitivity: Sensitivity };
  }[];
  credentials: {
    type: CredentialType;
    label: string;
    status: CredentialStatus;
    issuedAt: Date;
    expiresAt: Date | null;
    lastUsedAt: Date | null;
    lastRotatedAt: Date | null;
    rotationPeriodDays: number | null;
    /** Set when a change to the identity asked for a new secret (lib/reviews/change.ts); cleared when rotated. */
    rotationRequiredAt?: Date | null;
    rotationRequiredReason?: string | null;
  }[];
}

export interface RiskAssessment {
  tier: RiskTier;
  reasons: string[];
}

function tierForScore(score: number): RiskTier {
  return TIERS[Math.min(Math.max(score - 1, 0), 3)]!;
}

function days(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

const CREDENTIAL_LABEL: Record<CredentialType, string> = {
  API_KEY: "API key",
  PAT: "PAT",
  OAUTH_TOKEN: "OAuth token",
  GITHUB_APP: "GitHub App key",
  CLOUD_ROLE: "cloud role",
  SSH_KEY: "SSH key",
  JIT_TOKEN: "JIT token",
};

export function assessRisk(input: RiskInput, now: Date = new Date()): RiskAssessment {
  const live = input.grants.filter((grant) => !grant.revokedAt && (!grant.expiresAt || grant.expiresAt > now));

  // 1. Reach.
  let baseIndex = 0;
  const reachReasons: { score: number; text: string }[] = [];
  for (const grant of live) {
    const prod = grant.system.environment === "PROD";
    const sensitivity = Math.min(SENSITIVITY_SCORE[grant.system.sensitivity] + (prod ? 1 : 0), 3);
    const permission = Math.max(PERMISSION_SCORE[grant.permission] - (grant.mode === "JUST_IN_TIME" ? 1 : 0), 0);
    const score = sensitivity + permission;
    baseIndex = Math.max(baseIndex, TIERS.indexOf(tierForScore(score)));
    if (score >= 2) {
      const where = `${prod ? "production, " : ""}${grant.system.sensitivity.toLowerCase()}`;
      const jit = grant.mode === "JUST_IN_TIME" ? " (just-in-time)" : "";
      reachReasons.push({ score, text: `${grant.permission.toLowerCase()} on ${grant.system.name} (${where})${jit}` });
    }
  }
  reachReasons.sort((a, b) => b.score - a.score);

  // 2. Escalations.
  const escalations: string[] = [];
  const changesThings = live.some((grant) => grant.permission !== "READ");
  if (input.autonomy === "AUTONOMOUS") escalations.push("autonomous: acts without a human in the loop");
  else if (input.autonomy === "EXECUTE" && changesThings) escalations.push("executes changes itself (autonomy: execute)");

  if (input.environment !== "PROD") {
    const prodSystem = live.find((grant) => grant.system.environment === "PROD");
    if (prodSystem) escalations.push(`${input.environment.toLowerCase()} identity reaches production system ${prodSystem.system.name}`);
  }

  const hygiene: string[] = [];
  const active = input.credentials.filter((c) => c.status === "ACTIVE");
  // Secrets issued before a change of model, autonomy, purpose, owner or write access: as neglected as an overdue rotation.
  const flagged = active.filter((c) => c.rotationRequiredAt);
  if (flagged.length > 0) {
    const why = flagged[0]!.rotationRequiredReason;
    hygiene.push(
      `${flagged.length} credential${flagged.length === 1 ? "" : "s"} flagged for rotation after a change${why ? ` (${why})` : ""}`,
    );
  }
  for (const credential of active) {
    const label = CREDENTIAL_LABEL[credential.type];
    const age = days(now.getTime() - credential.issuedAt.getTime());
    const ephemeral = SHORT_LIVED_CREDENTIAL_TYPES.includes(credential.type);
    if (!ephemeral && (!credential.expiresAt || age > LONG_LIVED_AFTER_DAYS)) {
      hygiene.push(`long-lived ${label} ${age} days old${credential.expiresAt ? "" : ", no expiry"}`);
    }
    if (credential.rotationPeriodDays) {
      const sinceRotation = days(now.getTime() - (credential.lastRotatedAt ?? credential.issuedAt).getTime());
      if (sinceRotation > credential.rotationPeriodDays) {
        hygiene.push(`${label} not rotated for ${sinceRotation} days (period ${credential.rotationPeriodDays})`);
      }
    }
    const idle = days(now.getTime() - (credential.lastUsedAt ?? credential.issuedAt).getTime());
    if (idle > UNUSED_AFTER_DAYS) hygiene.push(`${label} unused for ${idle} days`);
  }
  // Credential hygiene escalates once however many credentials are neglected.
  if (hygiene.length > 0) escalations.push(hygiene[0]!);

  // A retired or expired identity is not reviewed any more, so its last review date is no risk.
  if (isReviewOverdue(input, now)) {
    // Overdue from the moment the date passes, like the inventory's filter; a part day counts as one.
    const overdue = Math.max(1, days(now.getTime() - input.nextReviewAt.getTime()));
    escalations.push(`review overdue by ${overdue} day${overdue === 1 ? "" : "s"}`);
  }

  const tier = TIERS[Math.min(baseIndex + escalations.length, 3)]!;
  const reasons = [...reachReasons.map((reason) => reason.text), ...escalations, ...hygiene.slice(1)];
  return { tier, reasons };
}
