import { randomBytes } from "node:crypto";
import { z } from "zod";
import { loadCatalog } from "@/lib/approvals/catalog";
import { prisma, type Db } from "@/lib/db/client";
import { runtimeQuery } from "@/lib/db/runtime-pool";
import { AppError } from "@/lib/errors";
import { assertMayManageIdentity, lockIdentity } from "@/lib/inventory/access";
import { recomputeRisk } from "@/lib/inventory/recompute-risk";
import { DAY_MS } from "@/lib/time";
import { MAX_TOKEN_DAYS } from "@/lib/validation/api-tokens";
import { requiredText } from "@/lib/validation/inventory";
import { looksLikeJwt, verifyJitToken } from "@/lib/access/tokens";
import { hashApiToken } from "./api-tokens";
import { defineMutation } from "./mutation";

// How an AI identity itself authenticates at the runtime endpoints (authorize,
// access requests, events, the Claude Code hooks). People and their scripts
// use API tokens (wrt_…), which act for their creator; an agent token (wai_…)
// acts as the identity it was issued to, and only at those endpoints.
//
// An agent token is a credential in the inventory (type API_KEY, with the
// secret's SHA-256 as secretHash), so it is listed, aged, counted by the risk
// rules and revoked like any other credential: revoking it there stops it.

const AGENT_TOKEN_PREFIX = "wai_";

const agentUnauthenticated = () =>
  new AppError("unauthenticated", "Send the identity's agent token (Authorization: Bearer wai_…) or a valid just-in-time token.");
const DEFAULT_AGENT_TOKEN_DAYS = 30;

/** Who is calling a runtime endpoint: an AI identity, by its own agent token or by a JIT token. */
export interface AgentCaller {
  identityId: string;
  identityName: string;
  /** "api_token": the identity's agent token (id = its Credential's id); "jit": a just-in-time token (id = its jti). */
  credential: { kind: "api_token" | "jit"; id: string };
  /** Present for a JIT token: what it was issued for. authorize() denies anything outside it. */
  jit?: {
    systemId: string;
    actions: ("read" | "write" | "deploy" | "admin")[];
    taskId: string | null;
    expiresAt: Date;
    /** A human approved this access before the token was issued (catalog entry access.issue). */
    approvedByHuman?: boolean;
  };
}

export const issueAgentTokenInput = z.object({
  identityId: requiredText(64),
  label: requiredText(100),
  expiresInDays: z.preprocess(
    (value) => (value === "" || value === undefined ? DEFAULT_AGENT_TOKEN_DAYS : value),
    z.coerce.number({ message: "must be a number of days" }).int({ message: "must be a whole number of days" }).min(1, {
      message: "must be at least 1 day",
    }),
  ),
});

/** The fingerprint the inventory shows for an agent token: enough to tell tokens apart, nothing to use. */
export function agentTokenFingerprint(secretHash: string): string {
  return `sha256:${secretHash.slice(0, 16)}`;
}

export const issueAgentToken = defineMutation({
  name: "agent-tokens.issue",
  description: "issue agent tokens",
  permission: "inventory:write",
  input: issueAgentTokenInput,
  // A person's API token may issue them (provisioning scripts do): unlike an
  // API token minting API tokens, the child is tied to something visible and
  // bounded — a credential of an identity the caller manages, listed under it,
  // revocable there, and never outliving the identity.
  async run({ tx, actor, audit }, input) {
    const identity = await lockIdentity(tx, input.identityId);
    assertMayManageIdentity(actor, identity, "issue agent tokens for this identity");
    if (identity.status !== "ACTIVE") {
      throw new AppError("conflict", `Agent tokens are issued to active identities only; this one is ${identity.status.toLowerCase()}.`);
    }
    // A token that outlives the long-lived threshold would be a long-lived
    // credential, which needs an approval; its secret cannot wait for one
    // (it is shown once, to whoever asked), so it is refused instead.
    // Tokens must expire all the same: never later than a person's API token may.
    const longLived = (await loadCatalog(tx))["credential.long_lived"];
    const maxDays = Math.min(longLived.enabled && longLived.maxDays !== null ? longLived.maxDays : MAX_TOKEN_DAYS, MAX_TOKEN_DAYS);
    if (input.expiresInDays > maxDays) {
      throw new AppError("validation_failed", "That token would live too long.", {
        expiresInDays:
          maxDays < MAX_TOKEN_DAYS
            ? `must be at most ${maxDays} days (longer-lived credentials need an approval)`
            : `must be at most ${MAX_TOKEN_DAYS} days: tokens must expire`,
      });
    }
    const now = new Date();
    const expiresAt = new Date(now.getTime() + input.expiresInDays * DAY_MS);
    if (identity.expiresAt && expiresAt > identity.expiresAt) {
      throw new AppError("validation_failed", "An agent token cannot outlive its identity.", {
        expiresInDays: `must end by the identity's end date (${identity.expiresAt.toISOString().slice(0, 10)})`,
      });
    }
    const secret = AGENT_TOKEN_PREFIX + randomBytes(32).toString("base64url");
    const secretHash = hashApiToken(secret);
    const credential = await tx.credential.create({
      data: {
        identityId: identity.id,
        type: "API_KEY",
        label: input.label,
        fingerprint: agentTokenFingerprint(secretHash),
        secretHash,
        issuedAt: now,
        lastRotatedAt: now,
        expiresAt,
        vaultPath: null,
      },
    });
    const risk = await recomputeRisk(tx, identity.id);
    await audit({
      action: "agent_token.issued",
      targetType: "identity",
      targetId: identity.id,
      data: { credentialId: credential.id, label: credential.label, fingerprint: credential.fingerprint, expiresAt, riskTier: risk.tier },
    });
    return { credentialId: credential.id, identityId: identity.id, label: credential.label, expiresAt, secret };
  },
});

interface AgentTokenRow {
  credentialId: string;
  credentialStatus: string;
  credentialExpiresAt: Date | null;
  lastUsedAt: Date | null;
  identityId: string;
  identityName: string;
  identityStatus: string;
  identityExpiresAt: Date | null;
}

/**
 * Why an agent token does not authenticate, or null while it does: the
 * credential is revoked or expired, or its identity is not active (suspended,
 * expired — even before the expiry job runs — revoked or retired).
 */
export function agentTokenStopReason(row: AgentTokenRow, now: Date): string | null {
  if (row.credentialStatus !== "ACTIVE") return "credential revoked";
  if (row.credentialExpiresAt && row.credentialExpiresAt <= now) return "credential expired";
  if (row.identityStatus !== "ACTIVE") return `identity ${row.identityStatus.toLowerCase()}`;
  if (row.identityExpiresAt && row.identityExpiresAt <= now) return "identity expired";
  return null;
}

async function authenticateAgentToken(db: Db, secret: string, now: Date): Promise<AgentCaller> {
  // Through the runtime pool, not Prisma: this runs before every tool call an agent makes (lib/db/runtime-pool.ts).
  const [row] = await runtimeQuery<AgentTokenRow>(
    "agent-token",
    `SELECT c."id" AS "credentialId", c."status"::text AS "credentialStatus", c."expiresAt" AS "credentialExpiresAt", c."lastUsedAt",
            i."id" AS "identityId", i."name" AS "identityName", i."status"::text AS "identityStatus", i."expiresAt" AS "identityExpiresAt"
     FROM "Credential" c JOIN "AiIdentity" i ON i."id" = c."identityId"
     WHERE c."secretHash" = $1`,
    [hashApiToken(secret)],
  );
  if (!row || agentTokenStopReason(row, now) !== null) throw agentUnauthenticated();
  // Last-used feeds the inventory's stale-credential signals; once a minute is enough.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db.credential.update({ where: { id: row.credentialId }, data: { lastUsedAt: now } });
  }
  return { identityId: row.identityId, identityName: row.identityName, credential: { kind: "api_token", id: row.credentialId } };
}

/** True when the bearer is an agent's (an agent token or a JWT): endpoints both people and agents call pick their authentication by it. */
export function isAgentBearer(authorization: string | null): boolean {
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return bearer !== undefined && (bearer.startsWith(AGENT_TOKEN_PREFIX) || /^[\w-]+\.[\w-]+\.[\w-]+$/.test(bearer));
}

/**
 * Resolves `Authorization: Bearer …` to the calling identity. An agent token
 * (wai_…) is looked up by its hash; a JWT is a just-in-time token, checked by
 * lib/access/tokens.ts (signature, audience, expiry, revocation); anything else is refused. A person's API
 * token (wrt_…) acts for a person, not for an agent, and is refused here with
 * a message that says which token to use.
 */
export async function authenticateAgent(authorization: string | null, db: Db = prisma, now = new Date()): Promise<AgentCaller> {
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!bearer) throw agentUnauthenticated();
  if (bearer.startsWith(AGENT_TOKEN_PREFIX)) return authenticateAgentToken(db, bearer, now);
  if (looksLikeJwt(bearer)) return verifyJitToken(db, bearer, now);
  if (bearer.startsWith("wrt_")) {
    throw new AppError(
      "unauthenticated",
      "This endpoint is for AI identities: use the identity's agent token (wai_…) or a just-in-time token, not a person's API token.",
    );
  }
  throw agentUnauthenticated();
}
