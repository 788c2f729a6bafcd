import type { Actor } from "@/lib/auth/actor";
import { executeMutation } from "@/lib/auth/mutation";
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
// one expired and one applied under break-glass.

async function actorFor(db: Db, email: string): Promise<Actor> {
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  return { kind: "user", userId: user.id, label: user.email, roles: user.roles };
}

async function ids(db: Db, identity: string, system?: string) {
  const found = await db.aiIdentity.findFirstOrThrow({ where: { name: identity }, select: { id: true } });
  const target = system ? await db.system.findFirstOrThrow({ where: { name: system }, select: { id: true } }) : null;
  return { identityId: found.id, systemId: target?.id };
}

/** Asks for a change that needs approval; returns the request's id. */
async function ask(db: Db, actor: Actor, run: (actor: Actor) => Promise<unknown>): Promise<string> {
  try {
    await run(actor);
  } catch (error) {
    if (error instanceof SentForApproval) return error.request.id;
    throw error;
  }
  throw new Error("The demo expected this change to need approval");
}

export async function seedDemoApprovals(db: Db): Promise<number> {
  const olivia = await actorFor(db, "olivia.owner@example.com");
  const omar = await actorFor(db, "omar.owner@example.com");
  const sam = await actorFor(db, "sam.lead@example.com");
  const ada = await actorFor(db, "ada.admin@example.com");
  const decide = (actor: Actor, requestId: string, verdict: "APPROVE" | "REJECT", comment?: string) =>
    executeMutation(decideApprovalRequest, actor, { requestId, verdict, comment }, db);
  const grant = (identity: string, system: string, permission: string, justification: string) => async (actor: Actor) =>
    executeMutation(createGrant, actor, { ...(await ids(db, identity, system)), permission, justification }, db);

  // Waiting for a security lead (level 1), then the payments repository's owner.
  await ask(
    db,
    olivia,
    grant("copilot-payments-ide", "github.com/acme/payments-api", "WRITE", "Let the assistant push fixup commits to review branches."),
  );
  // Level 1 approved; waiting for the owner of k8s-prod (level 2).
  const atLevelTwo = await ask(
    db,
    omar,
    grant("renovate-bot", "k8s-prod", "READ", "Read the deployed image versions to propose upgrades."),
  );
  await decide(sam, atLevelTwo, "APPROVE", "Read only is fine from the security side.");
  // Waiting for a security lead.
  await ask(db, omar, async (actor) =>
    executeMutation(
      updateIdentity,
      actor,
      {
        identityId: (await ids(db, "cursor-web-team")).identityId,
        autonomy: "EXECUTE",
        justification: "Let it run the test suite itself.",
      },
      db,
    ),
  );
  // Approved and applied.
  const applied = await ask(db, olivia, async (actor) =>
    executeMutation(
      createCredential,
      actor,
      {
        identityId: (await ids(db, "copilot-payments-ide")).identityId,
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
  const rejected = await ask(db, omar, grant("github-mcp-server", "Vault", "ADMIN", "Read secrets while debugging CI."));
  await decide(sam, rejected, "REJECT", "A dev MCP server never needs admin on production secrets; use a scoped read grant on staging.");
  // Expired undecided.
  const expired = await ask(db, olivia, async (actor) =>
    executeMutation(
      updateIdentity,
      actor,
      {
        identityId: (await ids(db, "copilot-payments-ide")).identityId,
        expiresAt: new Date(Date.now() + 365 * DAY_MS).toISOString(),
        justification: "Saves renewing it every quarter.",
      },
      db,
    ),
  );
  await db.approvalRequest.update({ where: { id: expired }, data: { expiresAt: new Date(Date.now() - 60_000) } });
  await expireDueRequests(db, { kind: "system", label: "demo seed" });
  // Applied under break-glass by an admin.
  const broken = await ask(db, ada, grant("ci-security-scanner", "GitHub Actions", "WRITE", "Patch the leaked-token scanner workflow."));
  await executeMutation(
    breakGlassApprovalRequest,
    ada,
    { requestId: broken, reason: "INC-2207: a token leaked in CI logs; the scanner fix must ship now." },
    db,
  );
  return 7;
}
