// A real OpenID Connect provider (the `oidc-provider` package) for the SSO
// browser test: authorization-code flow with PKCE, a login form that accepts
// any login and password (its built-in development interactions), and a
// userinfo endpoint that returns the email the login was made with.
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_PORT ?? 3101);
const appUrl = process.env.APP_URL ?? "http://localhost:3100";
const issuer = `http://localhost:${port}`;

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
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        const email = id.includes("@") ? id.toLowerCase() : `${id}@example.com`;
        return { sub: id, email, email_verified: true, name: `SSO ${id.split("@")[0]}` };
      },
    };
  },
  cookies: { keys: ["warrant-e2e-only-cookie-key"] },
  pkce: { required: () => true },
});

// Development interactions print warnings on every start; they are expected here.
provider.listen(port, () => console.log(`test OIDC provider at ${issuer}`));
