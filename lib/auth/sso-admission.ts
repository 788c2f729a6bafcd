import type { DbOrTx } from "@/lib/db/client";
import { findUserByEmail, normalizeEmail } from "@/lib/users/email";

// Who may sign in with SSO, and as whom. Decided before Auth.js writes
// anything (its signIn callback), and checked again where it links accounts.
//
// - A provider subject already linked to a person signs in as that person,
//   whatever email the provider sends today (emails change; subjects do not).
// - A new subject is linked to an existing person by email only when the
//   provider says the email is verified and that person has no linked account
//   yet: an unverified claim, or a second subject claiming a linked person's
//   address, is how one account takes over another.
// - Otherwise a new person is created, if SSO_NEW_USERS allows it.
// Emails are compared case-insensitively everywhere (lib/users/email.ts).

export type SsoNewUsers = "open" | "preregistered" | "domains";

export interface SsoPolicy {
  newUsers: SsoNewUsers;
  emailDomains: string[];
}

export interface SsoClaims {
  provider: string;
  subject: string;
  email: string | null | undefined;
  /** The provider's email_verified claim, as sent (boolean, or "true" from some providers). */
  emailVerified: unknown;
}

export type SsoRefusal = "NoEmail" | "Deactivated" | "EmailNotVerified" | "AccountConflict" | "NotRegistered" | "DomainNotAllowed";

export type SsoDecision =
  | { outcome: "existing"; userId: string }
  | { outcome: "link"; userId: string }
  | { outcome: "create"; email: string }
  | { outcome: "refused"; reason: SsoRefusal };

export function isEmailVerified(claim: unknown): boolean {
  return claim === true || claim === "true";
}

export async function decideSsoSignIn(db: DbOrTx, claims: SsoClaims, policy: SsoPolicy): Promise<SsoDecision> {
  const linked = await db.account.findUnique({
    where: { provider_providerAccountId: { provider: claims.provider, providerAccountId: claims.subject } },
    include: { user: { select: { id: true, active: true } } },
  });
  if (linked) return linked.user.active ? { outcome: "existing", userId: linked.user.id } : { outcome: "refused", reason: "Deactivated" };

  if (!claims.email) return { outcome: "refused", reason: "NoEmail" };
  const email = normalizeEmail(claims.email);
  const verified = isEmailVerified(claims.emailVerified);

  const person = await findUserByEmail(db, email);
  if (person) {
    if (!person.active) return { outcome: "refused", reason: "Deactivated" };
    if ((await db.account.count({ where: { userId: person.id } })) > 0) return { outcome: "refused", reason: "AccountConflict" };
    if (!verified) return { outcome: "refused", reason: "EmailNotVerified" };
    return { outcome: "link", userId: person.id };
  }

  if (policy.newUsers === "preregistered") return { outcome: "refused", reason: "NotRegistered" };
  if (policy.newUsers === "domains") {
    // A domain rule means nothing for an address the provider has not checked.
    if (!verified) return { outcome: "refused", reason: "EmailNotVerified" };
    const domain = email.slice(email.lastIndexOf("@") + 1);
    if (!policy.emailDomains.includes(domain)) return { outcome: "refused", reason: "DomainNotAllowed" };
  }
  return { outcome: "create", email };
}
