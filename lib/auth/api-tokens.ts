import { createHash, randomBytes } from "node:crypto";
import { prisma, type Db } from "@/lib/db/client";
import { AppError, forbidden, notFound, unauthenticated } from "@/lib/errors";
import { createApiTokenInput, revokeApiTokenInput } from "@/lib/validation/api-tokens";
import { defineMutation } from "./mutation";
import type { Actor } from "./actor";

// API tokens are bearer secrets shown once. Only their SHA-256 is stored, so a
// database leak does not leak working tokens. The "wrt_" prefix lets secret
// scanners recognise a leaked Warrant token.

const TOKEN_PREFIX = "wrt_";
const DAY_MS = 24 * 60 * 60 * 1000;

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
    const token = await tx.apiToken.create({
      data: {
        name: input.name,
        prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
        tokenHash: hashApiToken(secret),
        scopes: input.scopes,
        userId,
        expiresAt: new Date(Date.now() + input.expiresInDays * DAY_MS),
      },
    });
    await audit({
      action: "api_token.created",
      targetType: "api_token",
      targetId: token.id,
      data: { name: token.name, scopes: token.scopes, userId, expiresAt: token.expiresAt },
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
    await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
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
