import { randomBytes } from "node:crypto";
import { prisma } from "@/lib/db/client";
import { executeMutation } from "@/lib/auth/mutation";
import { createApiToken } from "@/lib/auth/api-tokens";
import type { ApiTokenScope, Role } from "@/lib/db/generated/enums";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { createIdentity } from "@/lib/inventory/identities";
import { DAY_MS } from "@/lib/time";

// Small builders for integration tests. They go through the real mutations
// where one exists, so test data is shaped like production data.

export const systemActor: Actor = { kind: "system", label: "test" };

export async function createTestUser(roles: Role[] = [], overrides: { email?: string; active?: boolean } = {}) {
  const email = overrides.email ?? `user-${randomBytes(4).toString("hex")}@example.com`;
  const user = await prisma.user.create({ data: { email, name: email.split("@")[0], roles, active: overrides.active ?? true } });
  const actor: Actor = { kind: "user", userId: user.id, label: user.email, roles: user.roles };
  return { user, actor };
}

export async function createTestToken(userEmail: string, scopes: ApiTokenScope[] = ["READ", "WRITE"]) {
  const token = await executeMutation(createApiToken, systemActor, { userEmail, name: "test token", scopes, expiresInDays: 30 });
  return token.secret;
}

/** Row counts of every table a mutation could touch, to prove a refused call wrote nothing. */
export async function countRows() {
  const [users, sessions, apiTokens, identities, auditEvents] = await Promise.all([
    prisma.user.count(),
    prisma.session.count(),
    prisma.apiToken.count({ where: { revokedAt: null } }),
    prisma.aiIdentity.count({ where: { orphanedAt: null } }),
    prisma.auditEvent.count(),
  ]);
  return { users, sessions, apiTokens, identities, auditEvents };
}

/** The AppError a refused change throws; fails the test if the change went through or failed otherwise. */
export async function refused(run: Promise<unknown> | (() => Promise<unknown>)): Promise<AppError> {
  try {
    await (typeof run === "function" ? run() : run);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("the change was not refused");
}

/**
 * Switches every kind of sensitive change off in this test file's database,
 * for tests of what a change does rather than of who must approve it
 * (lib/approvals/approvals.test.ts covers approvals with the defaults on).
 */
export async function switchOffApprovals() {
  await prisma.approvalCatalogEntry.updateMany({ data: { enabled: false } });
}

/** An active coding agent (in production unless told otherwise), owned by `ownerId`: what the runtime endpoints' tests act as. */
export async function createActiveTestIdentity(
  ownerId: string,
  {
    name = `agent-${randomBytes(4).toString("hex")}`,
    environment = "PROD",
  }: { name?: string; environment?: "DEV" | "STAGING" | "PROD" } = {},
) {
  const identity = await executeMutation(createIdentity, systemActor, {
    name,
    kind: "CODING_AGENT",
    purpose: "Asks before acting",
    environment,
    autonomy: "EXECUTE",
    ownerId,
    expiresAt: new Date(Date.now() + 60 * DAY_MS).toISOString(),
  });
  return prisma.aiIdentity.update({ where: { id: identity.id }, data: { status: "ACTIVE" } });
}
