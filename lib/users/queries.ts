import type { Db } from "@/lib/db/client";
import { apiTokenStateLabel } from "@/lib/auth/api-tokens";

export async function listUsers(db: Db) {
  return db.user.findMany({
    orderBy: [{ active: "desc" }, { name: "asc" }],
    select: { id: true, email: true, name: true, roles: true, active: true, team: { select: { name: true } } },
  });
}

const tokenListSelect = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  createdAt: true,
  identityId: true,
  user: { select: { email: true, active: true } },
  identity: { select: { status: true, expiresAt: true } },
} as const;

/** Each listed token with its state, by the rule authentication applies (apiTokenStopReason). */
function withState<
  T extends {
    revokedAt: Date | null;
    expiresAt: Date;
    identityId: string | null;
    user: { active: boolean };
    identity: { status: string; expiresAt: Date } | null;
  },
>(tokens: T[]) {
  const now = new Date();
  return tokens.map(({ identity, ...token }) => ({
    ...token,
    state: apiTokenStateLabel(
      { ...token, userActive: token.user.active, identityStatus: identity?.status ?? null, identityExpiresAt: identity?.expiresAt ?? null },
      now,
    ),
  }));
}

/** Never selects the hash: the page only needs what identifies a token. */
export async function listApiTokensOf(db: Db, userId: string) {
  return withState(await db.apiToken.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, select: tokenListSelect }));
}

/**
 * Every unrevoked, unexpired token, newest first, with its owner: for admins
 * and security leads, who may revoke any of them. Tokens stopped by their
 * identity stay listed (reactivating the identity would start them again).
 */
export async function listLiveApiTokens(db: Db) {
  return withState(
    await db.apiToken.findMany({
      where: { revokedAt: null, expiresAt: { gt: new Date() } },
      orderBy: { createdAt: "desc" },
      select: tokenListSelect,
    }),
  );
}

export const PEOPLE_SEARCH_LIMIT = 20;

/**
 * Active people whose name or email contains `text`, for owner pickers. With
 * `assignable`, auditors are left out: they cannot own identities.
 */
export async function searchPeople(db: Db, text: string, options: { assignable?: boolean } = {}) {
  const contains = { contains: text.trim(), mode: "insensitive" as const };
  const people = await db.user.findMany({
    where: {
      active: true,
      ...(text.trim() ? { OR: [{ name: contains }, { email: contains }] } : {}),
      ...(options.assignable ? { NOT: { roles: { has: "AUDITOR" } } } : {}),
    },
    orderBy: [{ name: "asc" }, { email: "asc" }],
    take: PEOPLE_SEARCH_LIMIT,
    select: { id: true, name: true, email: true },
  });
  return people.map(personChoice);
}

/** How a person is shown in pickers: "Name <email>". */
export function personChoice(person: { id: string; name: string | null; email: string }) {
  return { id: person.id, label: person.name ? `${person.name} <${person.email}>` : person.email };
}
