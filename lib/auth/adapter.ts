import { PrismaAdapter } from "@auth/prisma-adapter";
import type { Adapter, AdapterAccount, AdapterUser } from "next-auth/adapters";
import { prisma } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { findUserByEmail, normalizeEmail } from "@/lib/users/email";

// Auth.js's Prisma adapter, with the writes SSO makes done here instead: each
// in one transaction with its audit event, emails stored lower-case and looked
// up ignoring case, and a person linked to at most one provider subject (the
// signIn callback decides; this re-checks under a row lock, so two concurrent
// first sign-ins cannot both link). Auth.js calls createUser and linkAccount
// separately, so a new person and their link are two transactions.

const base = PrismaAdapter(prisma);

export const adapter: Adapter = {
  ...base,
  getUserByEmail: (email) => findUserByEmail(prisma, email) as Promise<AdapterUser | null>,

  async createUser({ name, email, emailVerified, image }) {
    return prisma.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { name: name ?? null, email: normalizeEmail(email), emailVerified, image: image ?? null },
      });
      await recordAuditEvent(
        tx,
        { type: "USER", id: user.id, label: user.email },
        { action: "user.created", targetType: "user", targetId: user.id, data: { method: "sso" } },
      );
      return user as AdapterUser;
    });
  },

  async linkAccount(account: AdapterAccount) {
    await prisma.$transaction(async (tx) => {
      const [person] = await tx.$queryRaw<{ email: string }[]>`SELECT email FROM "User" WHERE id = ${account.userId} FOR UPDATE`;
      if (!person) throw new AppError("not_found", "That person no longer exists.");
      if ((await tx.account.count({ where: { userId: account.userId } })) > 0) {
        throw new AppError("conflict", "This person is already linked to a single sign-on account.");
      }
      await tx.account.create({ data: account as Parameters<typeof tx.account.create>[0]["data"] });
      await recordAuditEvent(
        tx,
        { type: "USER", id: account.userId, label: person.email },
        {
          action: "auth.account_linked",
          targetType: "user",
          targetId: account.userId,
          data: { provider: account.provider, subject: account.providerAccountId },
        },
      );
    });
  },
};
