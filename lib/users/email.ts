import type { DbOrTx } from "@/lib/db/client";

// One rule for matching people by email, used by SSO sign-in, user creation,
// tokens:create and the CSV import: emails are stored lower-cased and compared
// ignoring case, because rows written before emails were normalised may still
// carry capitals, and "Ada@Example.com" is the same mailbox as "ada@example.com".

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A `where` on User.email that matches this address ignoring case. */
export function emailIs(email: string) {
  return { equals: normalizeEmail(email), mode: "insensitive" as const };
}

/** The person with this email, ignoring case; the oldest if legacy rows differ only in case. */
export function findUserByEmail(db: DbOrTx, email: string) {
  return db.user.findFirst({ where: { email: emailIs(email) }, orderBy: { createdAt: "asc" } });
}

/** The people with these emails, keyed by the normalised address (the oldest row wins, as above). */
export async function findUsersByEmails(db: DbOrTx, emails: Iterable<string>) {
  const wanted = [...new Set([...emails].map(normalizeEmail))];
  if (wanted.length === 0) return new Map<string, { id: string; email: string; active: boolean }>();
  const users = await db.user.findMany({
    where: { email: { in: wanted, mode: "insensitive" } },
    orderBy: { createdAt: "desc" },
    select: { id: true, email: true, active: true },
  });
  // Newest first, so the oldest row for an address is written last and wins.
  return new Map(users.map((user) => [normalizeEmail(user.email), user]));
}
