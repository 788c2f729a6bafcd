import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createTestUser } from "@/lib/testing/factories";
import { adapter } from "./adapter";
import { decideSsoSignIn, type SsoPolicy } from "./sso-admission";

const open: SsoPolicy = { newUsers: "open", emailDomains: [] };
function claims(subject: string, email: string | null, ...verified: [unknown?]) {
  // No third argument: a verified email. An explicit undefined: the provider did not say.
  return { provider: "oidc", subject, email, emailVerified: verified.length === 0 ? true : verified[0] };
}

async function link(userId: string, subject: string) {
  await prisma.account.create({ data: { userId, type: "oidc", provider: "oidc", providerAccountId: subject } });
}

let preregistered: { id: string; email: string };
let linked: { id: string; email: string };
let departed: { id: string; email: string };

beforeAll(async () => {
  preregistered = (await createTestUser(["SECURITY_LEAD"], { email: "pat.prereg@example.com" })).user;
  linked = (await createTestUser([], { email: "lee.linked@example.com" })).user;
  await link(linked.id, "sub-lee");
  departed = (await createTestUser([], { email: "dee.departed@example.com", active: false })).user;
});

describe("who an SSO sign-in becomes", () => {
  it("links a verified email to a pre-registered person, ignoring case", async () => {
    expect(await decideSsoSignIn(prisma, claims("sub-pat", "Pat.Prereg@EXAMPLE.com"), open)).toEqual({
      outcome: "link",
      userId: preregistered.id,
    });
    expect(await decideSsoSignIn(prisma, claims("sub-pat", "pat.prereg@example.com", "true"), open)).toEqual({
      outcome: "link",
      userId: preregistered.id,
    });
  });

  it("refuses to link when the provider has not verified the email (or does not say)", async () => {
    for (const verified of [false, "false", undefined, null]) {
      expect(await decideSsoSignIn(prisma, claims("sub-attacker", "pat.prereg@example.com", verified), open)).toEqual({
        outcome: "refused",
        reason: "EmailNotVerified",
      });
    }
  });

  it("refuses a second subject for a person who is already linked, even with a verified email", async () => {
    expect(await decideSsoSignIn(prisma, claims("sub-other", "LEE.linked@example.com"), open)).toEqual({
      outcome: "refused",
      reason: "AccountConflict",
    });
  });

  it("matches a linked subject by provider and subject only, whatever email it sends now", async () => {
    expect(await decideSsoSignIn(prisma, claims("sub-lee", "renamed@elsewhere.example", false), open)).toEqual({
      outcome: "existing",
      userId: linked.id,
    });
    // The same subject at another provider is someone else.
    expect(await decideSsoSignIn(prisma, { ...claims("sub-lee", "new.person@example.com"), provider: "other" }, open)).toEqual({
      outcome: "create",
      email: "new.person@example.com",
    });
  });

  it("refuses deactivated people, linked or not, and sign-ins without an email", async () => {
    expect(await decideSsoSignIn(prisma, claims("sub-dee", "dee.departed@example.com"), open)).toEqual({
      outcome: "refused",
      reason: "Deactivated",
    });
    await link(departed.id, "sub-dee-linked");
    expect(await decideSsoSignIn(prisma, claims("sub-dee-linked", "dee.departed@example.com"), open)).toEqual({
      outcome: "refused",
      reason: "Deactivated",
    });
    expect(await decideSsoSignIn(prisma, claims("sub-nobody", null), open)).toEqual({ outcome: "refused", reason: "NoEmail" });
  });

  it("creates newcomers only as SSO_NEW_USERS allows", async () => {
    const newcomer = claims("sub-new", "New.Comer@Example.com");
    expect(await decideSsoSignIn(prisma, newcomer, open)).toEqual({ outcome: "create", email: "new.comer@example.com" });
    expect(await decideSsoSignIn(prisma, newcomer, { newUsers: "preregistered", emailDomains: [] })).toEqual({
      outcome: "refused",
      reason: "NotRegistered",
    });
    // Pre-registered people still get in when only they may.
    expect(
      await decideSsoSignIn(prisma, claims("sub-pat", "pat.prereg@example.com"), { newUsers: "preregistered", emailDomains: [] }),
    ).toEqual({ outcome: "link", userId: preregistered.id });

    const domains: SsoPolicy = { newUsers: "domains", emailDomains: ["example.com"] };
    expect(await decideSsoSignIn(prisma, newcomer, domains)).toEqual({ outcome: "create", email: "new.comer@example.com" });
    expect(await decideSsoSignIn(prisma, claims("sub-x", "x@example.com.evil.test"), domains)).toEqual({
      outcome: "refused",
      reason: "DomainNotAllowed",
    });
    expect(await decideSsoSignIn(prisma, claims("sub-y", "y@sub.example.com"), domains)).toEqual({
      outcome: "refused",
      reason: "DomainNotAllowed",
    });
    expect(await decideSsoSignIn(prisma, claims("sub-z", "z@example.com", false), domains)).toEqual({
      outcome: "refused",
      reason: "EmailNotVerified",
    });
  });
});

describe("the writes Auth.js makes through the adapter", () => {
  it("creates a person with a lower-case email and audits it in the same transaction", async () => {
    const user = await adapter.createUser!({ id: "ignored", name: "Mixed Case", email: "Mixed.Case@Example.com", emailVerified: null });
    expect(user.email).toBe("mixed.case@example.com");
    expect(await adapter.getUserByEmail!("MIXED.case@example.COM")).toMatchObject({ id: user.id });
    const event = await prisma.auditEvent.findFirst({ where: { action: "user.created", targetId: user.id } });
    expect(event).toMatchObject({ actorType: "USER", actorId: user.id });
  });

  it("links one subject per person, audits the link, and refuses a second link", async () => {
    const { user } = await createTestUser([], { email: "one.link@example.com" });
    await adapter.linkAccount!({ userId: user.id, type: "oidc", provider: "oidc", providerAccountId: "sub-one" });
    const event = await prisma.auditEvent.findFirst({ where: { action: "auth.account_linked", targetId: user.id } });
    expect(event?.data).toEqual({ provider: "oidc", subject: "sub-one" });

    const eventsBefore = await prisma.auditEvent.count();
    await expect(adapter.linkAccount!({ userId: user.id, type: "oidc", provider: "oidc", providerAccountId: "sub-two" })).rejects.toThrow(
      /already linked/,
    );
    expect(await prisma.account.count({ where: { userId: user.id } })).toBe(1);
    expect(await prisma.auditEvent.count()).toBe(eventsBefore);
  });
});
