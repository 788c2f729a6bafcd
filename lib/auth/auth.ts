import NextAuth, { type NextAuthConfig } from "next-auth";
import type { AuthConfig } from "@auth/core";
import { prisma } from "@/lib/db/client";
import { env, isSsoConfigured, ssoPolicy } from "@/lib/env";
import { recordAuditEvent } from "@/lib/audit/record";
import { adapter } from "@/lib/auth/adapter";
import { authRouteHandler } from "@/lib/auth/route-handler";
import { decideSsoSignIn } from "@/lib/auth/sso-admission";
import { normalizeEmail } from "@/lib/users/email";
import type { Role } from "@/lib/db/generated/enums";

// Auth.js with database sessions (one row per session in PostgreSQL, so
// signing out or deactivating a user ends access at once on every replica).
// SSO is any OpenID Connect provider configured by OIDC_* variables; the demo
// sign-in (lib/auth/demo.ts) creates sessions through the same adapter.

declare module "next-auth" {
  interface Session {
    user: { id: string; name?: string | null; email: string; roles: Role[]; active: boolean };
  }
}

export const SSO_PROVIDER_ID = "oidc";

function providers(): NextAuthConfig["providers"] {
  if (!isSsoConfigured()) return [];
  const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_DISPLAY_NAME } = env();
  return [
    {
      id: SSO_PROVIDER_ID,
      name: OIDC_DISPLAY_NAME,
      type: "oidc",
      issuer: OIDC_ISSUER,
      clientId: OIDC_CLIENT_ID,
      clientSecret: OIDC_CLIENT_SECRET,
      checks: ["pkce", "state"],
      authorization: { params: { scope: "openid email profile" } },
      // Read the profile from the userinfo endpoint: several providers leave
      // email out of the ID token in the authorization-code flow.
      idToken: false,
      profile(claims) {
        return {
          id: String(claims.sub),
          name: (claims.name ?? claims.preferred_username ?? null) as string | null,
          email: typeof claims.email === "string" ? normalizeEmail(claims.email) : null,
          image: (claims.picture ?? null) as string | null,
        };
      },
      // Lets Auth.js link a new subject to a pre-registered person by email,
      // but only after the signIn callback below allowed it (decideSsoSignIn:
      // verified email, person not linked yet); every other case is refused there.
      allowDangerousEmailAccountLinking: true,
    },
  ];
}

function config(): NextAuthConfig {
  return {
    adapter,
    session: { strategy: "database", maxAge: 8 * 60 * 60, updateAge: 15 * 60 },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: providers(),
    callbacks: {
      async signIn({ user, account, profile }) {
        if (!account) return "/sign-in?error=AccessDenied";
        // Who this subject may sign in as (deactivated people are refused even
        // if their IdP still lets them in); see lib/auth/sso-admission.ts.
        const decision = await decideSsoSignIn(
          prisma,
          {
            provider: account.provider,
            subject: account.providerAccountId,
            email: profile?.email ?? user.email,
            emailVerified: profile?.email_verified,
          },
          ssoPolicy(),
        );
        return decision.outcome === "refused" ? `/sign-in?error=${decision.reason}` : true;
      },
      session({ session, user }) {
        const row = user as typeof user & { roles: Role[]; active: boolean };
        return {
          ...session,
          user: { id: row.id, name: row.name, email: row.email, roles: row.roles, active: row.active },
        } as typeof session;
      },
    },
    events: {
      async signOut(message) {
        const userId = "session" in message ? message.session?.userId : undefined;
        if (!userId) return;
        await prisma.$transaction((tx) =>
          recordAuditEvent(
            tx,
            { type: "USER", id: userId, label: userId },
            { action: "auth.signed_out", targetType: "user", targetId: userId },
          ),
        );
      },
      async signIn({ user, account }) {
        await prisma.$transaction((tx) =>
          recordAuditEvent(
            tx,
            { type: "USER", id: user.id ?? null, label: user.email ?? "unknown" },
            {
              action: "auth.signed_in",
              targetType: "user",
              targetId: user.id ?? undefined,
              data: { method: account?.provider ?? "unknown" },
            },
          ),
        );
      },
    },
  };
}

export const { auth, signIn, signOut } = NextAuth(config);

/** The /api/auth/* route handlers, on AUTH_URL's origin whatever address the server listens on (see route-handler.ts). */
const handle = authRouteHandler(config as () => AuthConfig);
export const handlers = { GET: handle, POST: handle };
