import { createHash, randomBytes } from "node:crypto";
import { prisma, type Db } from "@/lib/db/client";
import { AppError, forbidden, notFound, unauthenticated } from "@/lib/errors";
import { createApiTokenInput, revokeApiTokenInput } from "@/lib/validation/api-tokens";
import { recomputeRisk } from "@/lib/inventory/recompute-risk";
import { defineMutation } from "./mutation";
import type { Actor } from "./actor";
import type { Tx } from "@/lib/db/client";
import type { ApiTokenScope } from "@/lib/db/generated/enums";
import { endAccess } from "@/lib/inventory/identities";
import { DAY_MS } from "@/lib/time";

/** Warrant's own API, as a system that API-token identities reach. */
export const WARRANT_API_SYSTEM = { name: "Warrant API", kind: "INTERNAL_API", environment: "PROD", sensitivity: "CONFIDENTIAL" } as const;

/**
 * Warrant governs its own machine access like everyone else's: each API token
 * is an identity owned by its creator, with a credential (the token's hash
 * prefix as fingerprint) and grants on the Warrant API matching its scopes.
 */
async function inventoryApiToken(
  tx: Tx,
  token: { userId: string; name: string; prefix: string; tokenHash: string; scopes: ApiTokenScope[]; expiresAt: Date },
) {
  const owner = await tx.user.findUniqueOrThrow({ where: { id: token.userId } });
  const system = await tx.system.upsert({
    where: { name_environment: { name: WARRANT_API_SYSTEM.name, environment: WARRANT_API_SYSTEM.environment } },
    create: { ...WARRANT_API_SYSTEM, description: "Warrant's own HTTP API (/api/v1)" },
    update: {},
  });
  const writes = token.scopes.includes("WRITE") || token.scopes.includes("AGENT");
  const identity = await tx.aiIdentity.create({
    data: {
      name: `api-token ${token.prefix}`,
      kind: "OTHER",
      vendor: "Warrant",
      product: "API token",
      purpose: `API token "${token.name}" of ${owner.email} (scopes: ${token.scopes.join(", ").toLowerCase()})`,
      environment: "PROD",
      autonomy: writes ? "EXECUTE" : "SUGGEST",
      status: "ACTIVE",
      ownerId: token.userId,
      teamId: owner.teamId,
      expiresAt: token.expiresAt,
      nextReviewAt: token.expiresAt,
      grants: {
        create: [
          { systemId: system.id, permission: "READ" as const },
          ...(writes ? [{ systemId: system.id, permission: "WRITE" as const }] : []),
        ].map((grant) => ({ ...grant, expiresAt: token.expiresAt })),
      },
      credentials: {
        create: { type: "API_KEY", label: token.name, fingerprint: `sha256:${token.tokenHash.slice(0, 16)}`, issuedAt: new Date(), expiresAt: token.expiresAt },
      },
    },
  });
  await recomputeRisk(tx, identity.id);
  return identity;
}

export async function retireTokenIdentity(tx: Tx, identityId: string, now: Date) {
  await endAccess(tx, identityId, now);
  await tx.aiIdentity.update({ where: { id: identityId }, data: { status: "REVOKED" } });
  await recomputeRisk(tx, identityId);
}

// API tokens are bearer secrets shown once. Only their SHA-256 is stored, so a
// database leak does not leak working tokens. The "wrt_" prefix lets secret
// scanners recognise a leaked Warrant token.

const TOKEN_PREFIX = "wrt_";

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

export const createApiToken = defineMutation({
  name: "api-tokens.create",
  description: "create API tokens",
  permission: "tokens:manage-own",
  input: createApiTokenInput,
  async run({ tx, actor, audit }, input) {
    let userId: string;
    if (actor.kind === "system") {
      if (!input.userEmail) throw new AppError("validation_failed", "Name the user the token belongs to.", { userEmail: "is required" });
      const user = await tx.user.findUnique({ where: { email: input.userEmail } });
      if (!user) throw notFound(`The user ${input.userEmail}`);
      userId = user.id;
    } else {
      if (input.userEmail) throw forbidden("create API tokens for someone else");
      userId = actor.userId;
    }
    const secret = generateToken();
    const prefix = secret.slice(0, TOKEN_PREFIX.length + 6);
    const tokenHash = hashApiToken(secret);
    const expiresAt = new Date(Date.now() + input.expiresInDays * DAY_MS);
    const identity = await inventoryApiToken(tx, { userId, name: input.name, prefix, tokenHash, scopes: input.scopes, expiresAt });
    const token = await tx.apiToken.create({
      data: { name: input.name, prefix, tokenHash, scopes: input.scopes, userId, expiresAt, identityId: identity.id },
    });
    await audit({
      action: "api_token.created",
      targetType: "api_token",
      targetId: token.id,
      data: { name: token.name, scopes: token.scopes, userId, expiresAt: token.expiresAt, identityId: identity.id },
    });
    return { id: token.id, name: token.name, prefix: token.prefix, expiresAt: token.expiresAt, secret };
  },
});

export const revokeApiToken = defineMutation({
  name: "api-tokens.revoke",
  description: "revoke API tokens",
  permission: "tokens:manage-own",
  input: revokeApiTokenInput,
  async run({ tx, actor, audit }, input) {
    const token = await tx.apiToken.findUnique({ where: { id: input.tokenId } });
    // Someone else's token is reported as missing rather than forbidden, so ids cannot be probed.
    const mayRevoke =
      token && (actor.kind === "system" || actor.userId === token.userId || (actor.kind === "user" && actor.roles.includes("ADMIN")));
    if (!token || !mayRevoke) throw notFound("That API token");
    if (token.revokedAt) throw new AppError("conflict", "That API token is already revoked.");
    const now = new Date();
    await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt: now } });
    if (token.identityId) await retireTokenIdentity(tx, token.identityId, now);
    await audit({ action: "api_token.revoked", targetType: "api_token", targetId: token.id, data: { name: token.name } });
    return { id: token.id };
  },
});

/**
 * Resolves an `Authorization: Bearer wrt_…` header to the token's actor.
 * Expired, revoked and deactivated-owner tokens are all simply "not valid".
 */
export async function authenticateApiToken(authorization: string | null, db: Db = prisma): Promise<Actor> {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  if (!match?.[1]) throw unauthenticated();
  const token = await db.apiToken.findUnique({
    where: { tokenHash: hashApiToken(match[1]) },
    include: { user: true },
  });
  const now = new Date();
  if (!token || token.revokedAt || token.expiresAt <= now || !token.user.active) throw unauthenticated();
  // Last-used is informative; a write per request is not needed, once a minute is enough.
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  }
  return {
    kind: "api_token",
    tokenId: token.id,
    userId: token.userId,
    label: `${token.name} (${token.user.email})`,
    roles: token.user.roles,
    scopes: token.scopes,
  };
}
