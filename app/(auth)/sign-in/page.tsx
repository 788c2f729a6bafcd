import { redirect } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { getSessionActor } from "@/lib/auth/session";
import { listDemoUsers } from "@/lib/auth/demo";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { env, isDemoMode, isSsoConfigured } from "@/lib/env";
import { signInAsDemoUserAction, signInWithSsoAction } from "./actions";

export const metadata = { title: "Sign in" };

const ERRORS: Record<string, string> = {
  Deactivated: "Your Warrant account is deactivated. Ask an admin to reactivate it.",
  NoEmail: "Your identity provider did not share an email address, which Warrant needs to know who you are.",
  AccessDenied: "Sign-in was refused.",
  Configuration: "Sign-in is misconfigured on the server. An admin should check the OIDC_* settings.",
  OAuthAccountNotLinked: "This email address is already linked to another sign-in method.",
  AccountConflict: "A Warrant account with this email address already signs in with another single sign-on account. Ask an admin.",
  EmailNotVerified: "Your identity provider has not verified this email address, so Warrant cannot tell it is yours.",
  NotRegistered: "You have no Warrant account yet. Ask an admin to add you.",
  DomainNotAllowed: "People with this email domain cannot join this Warrant installation. Ask an admin to add you.",
  DemoUser: "Pick one of the listed demo users.",
  RateLimited: "Too many sign-in attempts from your address. Wait a minute and try again.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string; callbackUrl?: string }> }) {
  if (await getSessionActor()) redirect("/");
  const { error, callbackUrl } = await searchParams;
  const demoUsers = await listDemoUsers();
  const sso = isSsoConfigured();

  return (
    <main className="mx-auto mt-16 max-w-md px-4">
      <h1 className="text-xl font-semibold">Sign in to Warrant</h1>
      <p className="mt-1 text-sm text-slate-600">Governance for the AI tools that act in your systems.</p>
      {error ? (
        <p role="alert" className="mt-4 rounded border border-red-200 bg-red-50 p-2 text-sm text-red-800">
          {ERRORS[error] ?? "Sign-in failed. Try again."}
        </p>
      ) : null}

      {sso ? (
        <form action={signInWithSsoAction} className="mt-6">
          <input type="hidden" name="callbackUrl" value={callbackUrl ?? "/"} />
          <Button type="submit" className="w-full py-2">
            Sign in with {env().OIDC_DISPLAY_NAME}
          </Button>
        </form>
      ) : null}

      {isDemoMode() ? (
        <section aria-labelledby="demo-heading" className="mt-8">
          <h2 id="demo-heading" className="text-sm font-semibold">
            Demo users
          </h2>
          <p className="text-xs text-slate-600">Demo mode is on: pick anyone to see Warrant through their eyes.</p>
          <ul className="mt-2 divide-y divide-slate-200 rounded-md border border-slate-200 bg-white">
            {demoUsers.map((user) => (
              <li key={user.id}>
                <form action={signInAsDemoUserAction} className="flex items-center justify-between gap-2 px-3 py-2">
                  <input type="hidden" name="userId" value={user.id} />
                  <input type="hidden" name="callbackUrl" value={callbackUrl ?? "/"} />
                  <span className="text-sm">
                    <span className="font-medium">{user.name}</span> <span className="text-slate-500">{user.email}</span>
                    <span className="ml-1 inline-flex gap-1">
                      {user.roles.length === 0 ? (
                        <Badge>Owner</Badge>
                      ) : (
                        user.roles.map((role) => (
                          <Badge key={role} tone="blue">
                            {ROLE_LABELS[role]}
                          </Badge>
                        ))
                      )}
                    </span>
                  </span>
                  <Button type="submit" variant="secondary" aria-label={`Sign in as ${user.name}`}>
                    Sign in
                  </Button>
                </form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {!sso && !isDemoMode() ? (
        <p role="alert" className="mt-6 text-sm text-red-800">
          No sign-in method is configured. Set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET (see README.md).
        </p>
      ) : null}
    </main>
  );
}
