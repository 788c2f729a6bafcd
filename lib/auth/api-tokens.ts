import { createHash, randomBytes } from "node:crypto";
import { prisma, type Db } from "@/lib/db/client";
import { AppError, forbidden, notFound, unauthenticated } from "@/lib/errors";
import { createApiTokenInput, revokeApiTokenInput } from "@/lib/validation/api-tokens";
import { recomputeRisk } from "@/lib/inventory/recompute-risk";
import { defineMutation } from "./mutation";
import { can, type Actor } from "./actor";
import type { Tx } from "@/lib/db/client";
import type { ApiTokenScope, Role } from "@/lib/db/generated/enums";
import { Prisma } from "@/lib/db/generated/client";
import { endAccess } from "@/lib/inventory/identities";
import { DAY_MS } from "@/lib/time";
import { findUserByEmail } from "@/lib/users/email";

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
        create: {
          type: "API_KEY",
          label: token.name,
          fingerprint: `sha256:${token.tokenHash.slice(0, 16)}`,
          issuedAt: new Date(),
          expiresAt: token.expiresAt,
        },
      },
    },
  });
  // Its first rating: the token's expiry stays its review date.
  await recomputeRisk(tx, identity.id, undefined, { moveReview: false });
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
  // A token that could mint tokens could outlive its own revocation (and its
  // identity's suspension) through a child that nothing ties to it. Tokens
  // come from people (Admin page) and the CLI only.
  refusedToApiTokens:
    "API tokens cannot create API tokens. Create one on the Admin page (signed in) or with `npm run cli -- tokens:create`.",
  async run({ tx, actor, audit }, input) {
    let userId: string;
    if (actor.kind === "system") {
      if (!input.userEmail) throw new AppError("validation_failed", "Name the user the token belongs to.", { userEmail: "is required" });
      const user = await findUserByEmail(tx, input.userEmail);
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
    // Admins and security leads may revoke anyone's, by hand or through their own token.
    const mayRevoke = token && (actor.kind === "system" || actor.userId === token.userId || can(actor, "tokens:revoke-any"));
    if (!token || !mayRevoke) throw notFound("That API token");
    if (token.revokedAt) throw new AppError("conflict", "That API token is already revoked.");
    const now = new Date();
    await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt: now } });
    if (token.identityId) await retireTokenIdentity(tx, token.identityId, now);
    await audit({ action: "api_token.revoked", targetType: "api_token", targetId: token.id, data: { name: token.name } });
    return { id: token.id };
  },
});

interface TokenRow extends ApiTokenLife {
  id: string;
  name: string;
  userId: string;
  scopes: ApiTokenScope[];
  lastUsedAt: Date | null;
  email: string;
  roles: Role[];
  /** Live grants of the token's identity on the Warrant API. */
  mayRead: boolean;
  mayWrite: boolean;
}

/**
 * The token, its owner, its inventory record and that record's live grants on
 * the Warrant API, in one query by the unique hash (this runs on every API
 * request; Prisma's include would issue one query per relation).
 */
function findTokenByHash(db: Db, tokenHash: string) {
  const liveGrant = (permission: "READ" | "WRITE") => Prisma.sql`EXISTS (
    SELECT 1 FROM "Grant" g JOIN "System" s ON s."id" = g."systemId"
    WHERE g."identityId" = t."identityId" AND g."permission" = ${permission}::"Permission"
      AND g."revokedAt" IS NULL AND (g."expiresAt" IS NULL OR g."expiresAt" > now())
      AND s."name" = ${WARRANT_API_SYSTEM.name} AND s."environment" = ${WARRANT_API_SYSTEM.environment}::"Environment")`;
  return db.$queryRaw<TokenRow[]>`
    SELECT t."id", t."name", t."userId", t."scopes"::text[] AS "scopes", t."expiresAt", t."lastUsedAt", t."revokedAt",
           u."email", u."roles"::text[] AS "roles", u."active" AS "userActive",
           t."identityId", i."status"::text AS "identityStatus", i."expiresAt" AS "identityExpiresAt",
           ${liveGrant("READ")} AS "mayRead", ${liveGrant("WRITE")} AS "mayWrite"
    FROM "ApiToken" t
    JOIN "User" u ON u."id" = t."userId"
    LEFT JOIN "AiIdentity" i ON i."id" = t."identityId"
    WHERE t."tokenHash" = ${tokenHash}`;
}

/** What decides whether a token authenticates: the columns findTokenByHash reads. */
export interface ApiTokenLife {
  revokedAt: Date | null;
  expiresAt: Date;
  userActive: boolean;
  identityId: string | null;
  identityStatus: string | null;
  identityExpiresAt: Date | null;
}

const IDENTITY_STOPS: Record<string, string> = {
  PROPOSED: "identity not yet active",
  SUSPENDED: "identity suspended",
  EXPIRED: "identity expired",
  REVOKED: "identity revoked",
  RETIRED: "identity retired",
};

/**
 * Why a token does not authenticate, or null while it does. The one rule that
 * authenticateApiToken applies and the Admin page's token lists show, so a
 * token shown as active is one that works. Expired, revoked and
 * deactivated-owner tokens are all simply "not valid", and so is a token whose
 * inventory record Warrant shows as anything but active (suspended by hand, in
 * bulk or by the overdue-review sweep; expired, even before the expiry job
 * runs; retired).
 */
export function apiTokenStopReason(token: ApiTokenLife, now: Date): string | null {
  if (token.revokedAt) return "revoked";
  if (token.expiresAt <= now) return "expired";
  if (!token.userActive) return "owner deactivated";
  // Tokens made before tokens were inventoried have no record to consult.
  if (token.identityId === null) return null;
  if (token.identityStatus !== "ACTIVE") return IDENTITY_STOPS[token.identityStatus ?? ""] ?? "identity not active";
  if (!token.identityExpiresAt || token.identityExpiresAt <= now) return "identity expired";
  return null;
}

/** How the Admin page names a token's state: "Active", "Revoked", "Expired" or "Stopped: <why>". */
export function apiTokenStateLabel(token: ApiTokenLife, now: Date): string {
  const reason = apiTokenStopReason(token, now);
  if (reason === null) return "Active";
  if (reason === "revoked") return "Revoked";
  if (reason === "expired") return "Expired";
  return `Stopped: ${reason}`;
}

/**
 * Resolves an `Authorization: Bearer wrt_…` header to the token's actor,
 * refusing every token apiTokenStopReason stops. A token acts only within its
 * identity's live grants on the Warrant API: once its WRITE grant ends it can
 * only read, once its READ grant ends too, nothing.
 */
export async function authenticateApiToken(authorization: string | null, db: Db = prisma): Promise<Actor> {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  if (!match?.[1]) throw unauthenticated();
  const [token] = await findTokenByHash(db, hashApiToken(match[1]));
  const now = new Date();
  if (!token || apiTokenStopReason(token, now) !== null) throw unauthenticated();
  const scopes =
    token.identityId !== null ? token.scopes.filter((scope) => (scope === "READ" ? token.mayRead : token.mayWrite)) : token.scopes;
  // Last-used is informative; a write per request is not needed, once a minute is enough.
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  }
  return {
    kind: "api_token",
    tokenId: token.id,
    userId: token.userId,
    label: `${token.name} (${token.email})`,
    roles: token.roles,
    scopes,
  };
}
