// A real OpenID Connect provider (the `oidc-provider` package) for the SSO
// browser test: authorization-code flow with PKCE, a login form that accepts
// any login and password (its built-in development interactions), and a
// userinfo endpoint that returns the email the login was made with. A login
// containing "unverified" gets email_verified=false, as some IdPs send for
// addresses a user typed in themselves.
import Provider from "oidc-provider";

// On a loopback address other than localhost, so a test sees it when the app
// confuses hosts; the issuer must match what the app is configured with exactly.
const issuer = process.env.OIDC_ISSUER ?? "http://127.0.0.2:3101";
const appUrl = process.env.APP_URL ?? "http://127.0.0.3:3100";
const { hostname, port } = new URL(issuer);

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "warrant-e2e",
      client_secret: "warrant-e2e-secret",
      redirect_uris: [`${appUrl}/api/auth/callback/oidc`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  // The login is the subject, and the email is derived from it as typed (case
  // kept, so tests can send mixed-case addresses); in "tag|email" the email is
  // the part after the bar, so two subjects can claim one address.
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        const address = id.includes("|") ? id.slice(id.indexOf("|") + 1) : id;
        const email = address.includes("@") ? address : `${address}@example.com`;
        return { sub: id, email, email_verified: !id.includes("unverified"), name: `SSO ${email.split("@")[0]}` };
      },
    };
  },
  cookies: { keys: ["warrant-e2e-only-cookie-key"] },
  pkce: { required: () => true },
});

// Development interactions print warnings on every start; they are expected here.
provider.listen(Number(port), hostname, () => console.log(`test OIDC provider at ${issuer}`));
