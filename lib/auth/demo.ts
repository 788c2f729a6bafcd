import "server-only";
import { randomBytes } from "node:crypto";
import { cookies, headers } from "next/headers";
import { prisma } from "@/lib/db/client";
import { appUrl, isDemoMode } from "@/lib/env";
import { recordAuditEvent } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";

// Demo sign-in: pick a seeded user, get a real database session. Only on the
// embedded database or with WARRANT_DEMO=1, never silently in production.
// Auth.js's Credentials provider cannot create database sessions, so this
// creates the Session row itself and sets the cookie Auth.js reads.

const SESSION_MAX_AGE_S = 8 * 60 * 60;

// People who signed in through SSO (they have a linked Account) are real
// people, not demo users: offering them for one-click sign-in would hand their
// access to anyone who can open the sign-in page.
const demoUserWhere = { active: true, accounts: { none: {} } };

export async function listDemoUsers() {
  if (!isDemoMode()) return [];
  return prisma.user.findMany({
    where: demoUserWhere,
    orderBy: [{ name: "asc" }],
    select: { id: true, name: true, email: true, roles: true },
  });
}

/** Creates the database session for a demo sign-in, refusing anyone who is not a demo user. */
export async function createDemoSession(userId: string): Promise<{ sessionToken: string; expires: Date }> {
  if (!isDemoMode()) throw new AppError("forbidden", "Demo sign-in is turned off on this installation.");
  const sessionToken = randomBytes(32).toString("base64url");
  const expires = new Date(Date.now() + SESSION_MAX_AGE_S * 1000);
  await prisma.$transaction(async (tx) => {
    const user = await tx.user.findFirst({ where: { id: userId, ...demoUserWhere } });
    if (!user) throw new AppError("not_found", "That demo user does not exist, is deactivated, or signs in with single sign-on.");
    await tx.session.create({ data: { sessionToken, userId, expires } });
    await recordAuditEvent(
      tx,
      { type: "USER", id: user.id, label: user.email },
      { action: "auth.signed_in", targetType: "user", targetId: user.id, data: { method: "demo" } },
    );
  });
  return { sessionToken, expires };
}

export async function signInAsDemoUser(userId: string): Promise<void> {
  const { sessionToken, expires } = await createDemoSession(userId);
  const secure = (await headers()).get("x-forwarded-proto") === "https" || appUrl().startsWith("https://");
  (await cookies()).set(secure ? "__Secure-authjs.session-token" : "authjs.session-token", sessionToken, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: Boolean(secure),
    expires,
  });
}
