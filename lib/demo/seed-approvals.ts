import type { Actor } from "@/lib/auth/actor";
import { executeMutation, type AnyMutation } from "@/lib/auth/mutation";
import { breakGlassApprovalRequest, decideApprovalRequest, expireDueRequests } from "@/lib/approvals/decide";
import { SentForApproval } from "@/lib/approvals/request";
import type { Db } from "@/lib/db/client";
import { createCredential } from "@/lib/inventory/credentials";
import { createGrant } from "@/lib/inventory/grants";
import { updateIdentity } from "@/lib/inventory/identities";
import { DAY_MS } from "@/lib/time";

// The demo organisation's approvals, made the way people make them (through
// the real mutations, so the audit trail and timelines tell the real story):
// requests waiting at each level, one approved and applied, one rejected,
// one expired and one applied under break-glass. Run again after a start that
// stopped half-way, it takes only the steps that start did not (see ask).

async function actorFor(db: Db, email: string): Promise<Actor & { kind: "user" }> {
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  return { kind: "user", userId: user.id, label: user.email, roles: user.roles };
}

async function ids(db: Db, identity: string, system?: string) {
  const found = await db.aiIdentity.findFirstOrThrow({ where: { name: identity }, select: { id: true } });
  const target = system ? await db.system.findFirstOrThrow({ where: { name: system }, select: { id: true } }) : null;
  return { identityId: found.id, systemId: target?.id };
}

/**
 * Asks for a change that needs approval; returns the request's id. A start
 * stopped half-way through the demo may have asked already (lib/demo/seed.ts
 * runs this again then): the request this person made with this mutation for
 * this identity and system is that one, whatever became of it since.
 */
async function ask(
  db: Db,
  actor: Actor & { kind: "user" },
  change: { mutation: AnyMutation; identity: string; system?: string },
  run: (target: { identityId: string; systemId?: string }) => Promise<unknown>,
): Promise<string> {
  const target = await ids(db, change.identity, change.system);
  const earlier = await db.approvalRequest.findFirst({
    where: { requesterId: actor.userId, mutation: change.mutation.name, identityId: target.identityId, systemId: target.systemId ?? null },
    select: { id: true },
  });
  if (earlier) return earlier.id;
  try {
    await run(target);
  } catch (error) {
    if (error instanceof SentForApproval) return error.request.id;
    throw error;
  }
  throw new Error("The demo expected this change to need approval");
}

/** Whether a request still waits, so a step an interrupted start already took is not taken twice. */
async function isPending(db: Db, requestId: string): Promise<boolean> {
  const request = await db.approvalRequest.findUniqueOrThrow({ where: { id: requestId }, select: { status: true } });
  return request.status === "PENDING";
}

export async function seedDemoApprovals(db: Db): Promise<number> {
  const olivia = await actorFor(db, "olivia.owner@example.com");
  const omar = await actorFor(db, "omar.owner@example.com");
  const sam = await actorFor(db, "sam.lead@example.com");
  const ada = await actorFor(db, "ada.admin@example.com");
  const decide = async (actor: Actor & { kind: "user" }, requestId: string, verdict: "APPROVE" | "REJECT", comment?: string) => {
    const decided = await db.approvalDecision.findFirst({ where: { requestId, deciderId: actor.userId }, select: { id: true } });
    if (decided || !(await isPending(db, requestId))) return;
    await executeMutation(decideApprovalRequest, actor, { requestId, verdict, comment }, db);
  };
  const askGrant = (actor: Actor & { kind: "user" }, identity: string, system: string, permission: string, justification: string) =>
    ask(db, actor, { mutation: createGrant, identity, system }, (target) =>
      executeMutation(createGrant, actor, { ...target, permission, justification }, db),
    );

  // Waiting for a security lead (level 1), then the payments repository's owner.
  await askGrant(
    olivia,
    "copilot-payments-ide",
    "github.com/acme/payments-api",
    "WRITE",
    "Let the assistant push fixup commits to review branches.",
  );
  // Level 1 approved; waiting for the owner of k8s-prod (level 2).
  const atLevelTwo = await askGrant(omar, "renovate-bot", "k8s-prod", "READ", "Read the deployed image versions to propose upgrades.");
  await decide(sam, atLevelTwo, "APPROVE", "Read only is fine from the security side.");
  // Waiting for a security lead.
  await ask(db, omar, { mutation: updateIdentity, identity: "cursor-web-team" }, ({ identityId }) =>
    executeMutation(updateIdentity, omar, { identityId, autonomy: "EXECUTE", justification: "Let it run the test suite itself." }, db),
  );
  // Approved and applied.
  const applied = await ask(db, olivia, { mutation: createCredential, identity: "copilot-payments-ide" }, ({ identityId }) =>
    executeMutation(
      createCredential,
      olivia,
      {
        identityId,
        type: "OAUTH_TOKEN",
        label: "Copilot org token",
        fingerprint: "SHA256:copilotorgtokendemo",
        issuedAt: new Date().toISOString(),
        expiresAt: new Date(Date.now() + 180 * DAY_MS).toISOString(),
        vaultPath: "secret/ide/copilot",
        justification: "The vendor issues org tokens for six months at a time.",
      },
      db,
    ),
  );
  await decide(sam, applied, "APPROVE", "Rotation is tracked in Vault.");
  // Rejected.
  const rejected = await askGrant(omar, "github-mcp-server", "Vault", "ADMIN", "Read secrets while debugging CI.");
  await decide(sam, rejected, "REJECT", "A dev MCP server never needs admin on production secrets; use a scoped read grant on staging.");
  // Expired undecided.
  const expired = await ask(db, olivia, { mutation: updateIdentity, identity: "copilot-payments-ide" }, ({ identityId }) =>
    executeMutation(
      updateIdentity,
      olivia,
      { identityId, expiresAt: new Date(Date.now() + 365 * DAY_MS).toISOString(), justification: "Saves renewing it every quarter." },
      db,
    ),
  );
  if (await isPending(db, expired)) {
    await db.approvalRequest.update({ where: { id: expired }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    await expireDueRequests(db, { kind: "system", label: "demo seed" });
  }
  // Applied under break-glass by an admin.
  const broken = await askGrant(ada, "ci-security-scanner", "GitHub Actions", "WRITE", "Patch the leaked-token scanner workflow.");
  if (await isPending(db, broken)) {
    await executeMutation(
      breakGlassApprovalRequest,
      ada,
      { requestId: broken, reason: "INC-2207: a token leaked in CI logs; the scanner fix must ship now." },
      db,
    );
  }
  return 7;
}
