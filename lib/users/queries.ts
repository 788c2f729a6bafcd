import type { Db } from "@/lib/db/client";

export async function listUsers(db: Db) {
  return db.user.findMany({
    orderBy: [{ active: "desc" }, { name: "asc" }],
    select: { id: true, email: true, name: true, roles: true, active: true, team: { select: { name: true } } },
  });
}

/** Never selects the hash: the page only needs what identifies a token. */
export async function listApiTokensOf(db: Db, userId: string) {
  return db.apiToken.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, scopes: true, expiresAt: true, lastUsedAt: true, revokedAt: true, createdAt: true },
  });
}
