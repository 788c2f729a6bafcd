import { createPublicKey, type KeyObject } from "node:crypto";
import { decodeProtectedHeader, errors, jwtVerify, SignJWT, type JWK } from "jose";
import type { AgentCaller } from "@/lib/auth/agent";
import type { DbOrTx, Tx } from "@/lib/db/client";
import type { Permission } from "@/lib/db/generated/enums";
import { appUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { activeSigningKey, publishedKey } from "./keys";

// A just-in-time token is an EdDSA JWT: who (sub = the identity), what
// (system, actions), for which task, until when (exp), and its jti, which
// names its AccessGrant row. A valid signature is not enough: every use reads
// the row, so a completed or revoked token stops at once (the revocation
// list), and so does one whose identity is no longer active or has a new owner.

/** The token's audience: Warrant's runtime endpoints (authorize, events), nobody else's. */
export const JIT_AUDIENCE = "warrant-authorize";

export type JitAction = "read" | "write" | "deploy" | "admin";

/** What a verified token lets its bearer do: an AgentCaller (lib/auth/agent.ts) held to its system and actions. */
export type JitCaller = AgentCaller & { credential: { kind: "jit" }; jit: NonNullable<AgentCaller["jit"]> };

export const toActions = (permissions: readonly Permission[]) => permissions.map((permission) => permission.toLowerCase() as JitAction);

/** Signs the token of an issued access grant with the active key; returns it and the kid. */
export async function signAccessToken(
  tx: Tx,
  grant: { jti: string; identityId: string; systemId: string; permissions: Permission[]; taskId: string | null; expiresAt: Date },
  now: Date,
): Promise<{ token: string; kid: string }> {
  const key = await activeSigningKey(tx, now);
  const token = await new SignJWT({ system: grant.systemId, actions: toActions(grant.permissions), task_id: grant.taskId })
    .setProtectedHeader({ alg: "EdDSA", kid: key.kid, typ: "JWT" })
    .setIssuer(appUrl())
    .setAudience(JIT_AUDIENCE)
    .setSubject(grant.identityId)
    .setJti(grant.jti)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(grant.expiresAt.getTime() / 1000))
    .sign(key.privateKey);
  return { token, kid: key.kid };
}

/** True for a bearer that looks like a JWT (three base64url parts), which authenticateAgent sends here. */
export function looksLikeJwt(bearer: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(bearer);
}

/** A kid's public key never changes, so each is imported once per process. */
const importedKeys = new Map<string, KeyObject>();

const refused = (why: string) => new AppError("unauthenticated", `This just-in-time token ${why}.`);

/**
 * Verifies a just-in-time token: signature by a published key (named by its
 * kid), issuer, audience, expiry, and then its row: not completed, not
 * revoked, its identity still active and owned by the same person. Throws a
 * 401 saying which, without telling a forger anything about keys.
 */
export async function verifyJitToken(db: DbOrTx, token: string, now = new Date()): Promise<JitCaller> {
  let kid: string | undefined;
  try {
    const header = decodeProtectedHeader(token);
    kid = header.alg === "EdDSA" ? header.kid : undefined;
  } catch {
    kid = undefined;
  }
  if (!kid) throw refused("is not valid");
  let key = importedKeys.get(kid);
  if (!key) {
    const row = await publishedKey(db, kid, now);
    if (!row) throw refused("is not valid");
    key = createPublicKey({ key: row.publicJwk as JWK as never, format: "jwk" });
    importedKeys.set(kid, key);
  }

  let claims: { jti?: string; sub?: string };
  try {
    ({ payload: claims } = await jwtVerify(token, key, {
      issuer: appUrl(),
      audience: JIT_AUDIENCE,
      algorithms: ["EdDSA"],
      currentDate: now,
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw refused("has expired; ask for a new one");
    throw refused("is not valid");
  }
  if (!claims.jti || !claims.sub) throw refused("is not valid");

  const grant = await db.accessGrant.findUnique({
    where: { jti: claims.jti },
    include: { identity: { select: { name: true, status: true, ownerId: true } } },
  });
  if (!grant || grant.identityId !== claims.sub || !grant.issuedAt || !grant.expiresAt) throw refused("is not valid");
  if (grant.completedAt) throw refused("was ended when its task was completed");
  if (grant.revokedAt) throw refused(`was revoked (${grant.revokedReason ?? "revoked"})`);
  if (grant.expiresAt <= now) throw refused("has expired; ask for a new one");
  if (grant.identity.status !== "ACTIVE") throw refused(`belongs to an identity that is ${grant.identity.status.toLowerCase()}`);
  if (grant.identity.ownerId !== grant.ownerId) throw refused("was issued before its identity changed owner");
  return {
    identityId: grant.identityId,
    identityName: grant.identity.name,
    credential: { kind: "jit", id: grant.jti },
    jit: {
      systemId: grant.systemId,
      actions: toActions(grant.permissions),
      taskId: grant.taskId,
      expiresAt: grant.expiresAt,
      approvedByHuman: grant.approvalRequestId !== null,
    },
  };
}
