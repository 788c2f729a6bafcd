import type { Db, Tx } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/record";
import { runtimePool } from "@/lib/db/runtime-pool";
import { recomputeRisk } from "@/lib/inventory/recompute-risk";
import { openDueReviews } from "@/lib/reviews/due";
import { seedDemoApprovals } from "./seed-approvals";
import { seedDemoDecisions } from "./seed-decisions";
import { seedDemoDiscovery } from "./seed-discovery";
import { seedDemoTemplates } from "./seed-templates";
import { enqueueNotification } from "@/lib/notifications/outbox";
import type {
  Autonomy,
  CredentialType,
  Environment,
  IdentityKind,
  IdentityStatus,
  Permission,
  Role,
  Sensitivity,
  SystemKind,
} from "@/lib/db/generated/enums";

// A small, believable organisation for demos and browser tests: people in
// every role, the systems AI tools reach, and a mix of healthy and neglected
// identities (overdue reviews, old PATs, an orphan) so every screen has
// something to show. Loaded once; the marker in Setting keeps restarts from
// loading it again.

const SEEDED_KEY = "demo.seeded_at";
/** Set with SEEDED_KEY, removed when the follow-ups (reviews, approvals, decisions, scans) have all run. */
const FOLLOW_UPS_PENDING_KEY = "demo.follow_ups_pending_since";
/** The lock that keeps two replicas starting together from both loading the demo. */
const DEMO_SEED_LOCK = "warrant.demo_seed";
const DAY = 24 * 60 * 60 * 1000;

export const DEMO_USERS: { email: string; name: string; roles: Role[]; team: string; active?: boolean }[] = [
  { email: "ada.admin@example.com", name: "Ada Admin", roles: ["ADMIN"], team: "Platform" },
  { email: "sam.lead@example.com", name: "Sam Lead", roles: ["SECURITY_LEAD", "APPROVER"], team: "Security" },
  { email: "alex.approver@example.com", name: "Alex Approver", roles: ["APPROVER"], team: "Platform" },
  { email: "audrey.auditor@example.com", name: "Audrey Auditor", roles: ["AUDITOR"], team: "Security" },
  { email: "olivia.owner@example.com", name: "Olivia Owner", roles: [], team: "Payments" },
  { email: "omar.owner@example.com", name: "Omar Owner", roles: [], team: "Developer Experience" },
  { email: "former.engineer@example.com", name: "Former Engineer", roles: [], team: "Payments", active: false },
];

/** The person who approves access to a system (the approval rules' "system owner" level). */
const SYSTEM_OWNERS: Record<string, string> = {
  "github.com/acme/payments-api": "alex.approver@example.com",
  "k8s-prod": "alex.approver@example.com",
  Vault: "alex.approver@example.com",
  "aws-prod-payments": "olivia.owner@example.com",
};

const SYSTEMS: { name: string; kind: SystemKind; environment: Environment; sensitivity: Sensitivity; description: string }[] = [
  {
    name: "github.com/acme/payments-api",
    kind: "REPOSITORY",
    environment: "PROD",
    sensitivity: "CONFIDENTIAL",
    description: "Payments service source",
  },
  { name: "github.com/acme/web", kind: "REPOSITORY", environment: "DEV", sensitivity: "INTERNAL", description: "Customer web app source" },
  { name: "github.com/acme/docs", kind: "REPOSITORY", environment: "DEV", sensitivity: "PUBLIC", description: "Public documentation" },
  {
    name: "aws-prod-payments",
    kind: "CLOUD_ACCOUNT",
    environment: "PROD",
    sensitivity: "RESTRICTED",
    description: "Production AWS account for payments",
  },
  {
    name: "aws-staging",
    kind: "CLOUD_ACCOUNT",
    environment: "STAGING",
    sensitivity: "CONFIDENTIAL",
    description: "Shared staging account",
  },
  { name: "GitHub Actions", kind: "CI_CD", environment: "PROD", sensitivity: "CONFIDENTIAL", description: "CI/CD pipelines" },
  { name: "Jira", kind: "TICKETING", environment: "PROD", sensitivity: "INTERNAL", description: "Issue tracking" },
  { name: "Slack", kind: "MESSAGING", environment: "PROD", sensitivity: "INTERNAL", description: "Company chat" },
  {
    name: "Vault",
    kind: "SECRET_STORE",
    environment: "PROD",
    sensitivity: "RESTRICTED",
    description: "HashiCorp Vault, production secrets",
  },
  { name: "payments-db", kind: "DATABASE", environment: "PROD", sensitivity: "RESTRICTED", description: "Payments PostgreSQL" },
  { name: "k8s-prod", kind: "DEPLOY_TARGET", environment: "PROD", sensitivity: "RESTRICTED", description: "Production Kubernetes cluster" },
  {
    name: "internal-billing-api",
    kind: "INTERNAL_API",
    environment: "STAGING",
    sensitivity: "CONFIDENTIAL",
    description: "Billing API (staging)",
  },
];

interface DemoIdentity {
  name: string;
  kind: IdentityKind;
  vendor: string;
  product: string;
  model?: string;
  purpose: string;
  environment: Environment;
  autonomy: Autonomy;
  status: IdentityStatus;
  owner: string;
  backupOwner?: string;
  team: string;
  expiresInDays: number;
  nextReviewInDays: number;
  grants: { system: string; permission: Permission; mode?: "STANDING" | "JUST_IN_TIME" }[];
  credentials: {
    type: CredentialType;
    label: string;
    ageDays: number;
    expiresInDays?: number;
    rotationPeriodDays?: number;
    lastUsedDaysAgo?: number;
    vaultPath?: string;
  }[];
  /** A review its owner attested before (the demo's history; its audit trail is the one demo.seeded event). */
  pastReview?: { attestedDaysAgo: number; outcome: "KEEP" | "REDUCE"; comment?: string; permissionsMinimal?: boolean };
}

export const DEMO_IDENTITIES: DemoIdentity[] = [
  {
    name: "copilot-payments-ide",
    kind: "IDE_ASSISTANT",
    vendor: "GitHub",
    product: "Copilot",
    model: "gpt-5",
    purpose: "Code completion for the payments team in their IDEs",
    environment: "DEV",
    autonomy: "SUGGEST",
    status: "ACTIVE",
    owner: "olivia.owner@example.com",
    backupOwner: "omar.owner@example.com",
    team: "Payments",
    expiresInDays: 200,
    nextReviewInDays: 40,
    grants: [{ system: "github.com/acme/web", permission: "READ" }],
    credentials: [
      { type: "OAUTH_TOKEN", label: "Copilot org seat token", ageDays: 30, expiresInDays: 60, rotationPeriodDays: 90, lastUsedDaysAgo: 0 },
    ],
    pastReview: { attestedDaysAgo: 50, outcome: "KEEP" },
  },
  {
    name: "claude-code-release-agent",
    kind: "CODING_AGENT",
    vendor: "Anthropic",
    product: "Claude Code",
    model: "claude-opus",
    purpose: "Prepares release branches and changelogs for payments-api",
    environment: "PROD",
    autonomy: "EXECUTE",
    status: "ACTIVE",
    owner: "olivia.owner@example.com",
    team: "Payments",
    expiresInDays: 90,
    nextReviewInDays: -12,
    grants: [
      { system: "github.com/acme/payments-api", permission: "READ" },
      { system: "github.com/acme/payments-api", permission: "WRITE" },
      { system: "k8s-prod", permission: "DEPLOY" },
    ],
    credentials: [
      {
        type: "PAT",
        label: "GitHub fine-grained PAT",
        ageDays: 400,
        rotationPeriodDays: 90,
        lastUsedDaysAgo: 1,
        vaultPath: "secret/agents/claude-release",
      },
    ],
  },
  {
    name: "renovate-bot",
    kind: "CI_BOT",
    vendor: "Mend",
    product: "Renovate",
    purpose: "Opens dependency update pull requests",
    environment: "PROD",
    autonomy: "DRAFT",
    status: "ACTIVE",
    owner: "omar.owner@example.com",
    team: "Developer Experience",
    expiresInDays: 300,
    nextReviewInDays: 60,
    grants: [
      { system: "github.com/acme/web", permission: "WRITE" },
      { system: "github.com/acme/payments-api", permission: "WRITE" },
    ],
    credentials: [{ type: "GITHUB_APP", label: "renovate GitHub App", ageDays: 120, rotationPeriodDays: 365, lastUsedDaysAgo: 0 }],
    pastReview: {
      attestedDaysAgo: 30,
      outcome: "REDUCE",
      permissionsMinimal: false,
      comment: "Dropped write on the docs repo; it only updates web and payments-api.",
    },
  },
  {
    name: "github-mcp-server",
    kind: "MCP_SERVER",
    vendor: "GitHub",
    product: "GitHub MCP Server",
    purpose: "Lets IDE agents read issues and pull requests",
    environment: "DEV",
    autonomy: "SUGGEST",
    status: "ACTIVE",
    owner: "omar.owner@example.com",
    backupOwner: "alex.approver@example.com",
    team: "Developer Experience",
    expiresInDays: 150,
    nextReviewInDays: 20,
    grants: [
      { system: "github.com/acme/web", permission: "READ" },
      { system: "github.com/acme/docs", permission: "READ" },
    ],
    credentials: [{ type: "PAT", label: "read-only PAT", ageDays: 45, expiresInDays: 45, rotationPeriodDays: 90, lastUsedDaysAgo: 2 }],
  },
  {
    name: "postgres-mcp-payments",
    kind: "MCP_SERVER",
    vendor: "Community",
    product: "postgres-mcp",
    purpose: "Answers schema questions for the payments team",
    environment: "PROD",
    autonomy: "EXECUTE",
    status: "SUSPENDED",
    owner: "olivia.owner@example.com",
    team: "Payments",
    expiresInDays: 30,
    nextReviewInDays: -40,
    grants: [{ system: "payments-db", permission: "READ" }],
    credentials: [{ type: "API_KEY", label: "db read replica user", ageDays: 500, lastUsedDaysAgo: 90 }],
  },
  {
    name: "slack-triage-bot",
    kind: "CHAT_INTEGRATION",
    vendor: "Acme",
    product: "Triage bot",
    model: "gpt-5-mini",
    purpose: "Summarises incident channels into Jira tickets",
    environment: "PROD",
    autonomy: "DRAFT",
    status: "ACTIVE",
    owner: "former.engineer@example.com",
    team: "Payments",
    expiresInDays: 60,
    nextReviewInDays: -5,
    grants: [
      { system: "Slack", permission: "READ" },
      { system: "Jira", permission: "WRITE" },
    ],
    credentials: [{ type: "OAUTH_TOKEN", label: "Slack bot token", ageDays: 200, rotationPeriodDays: 180, lastUsedDaysAgo: 0 }],
  },
  {
    name: "cursor-web-team",
    kind: "IDE_ASSISTANT",
    vendor: "Anysphere",
    product: "Cursor",
    model: "claude-sonnet",
    purpose: "Agentic editing for the web team",
    environment: "DEV",
    autonomy: "DRAFT",
    status: "ACTIVE",
    owner: "omar.owner@example.com",
    team: "Developer Experience",
    expiresInDays: 10,
    nextReviewInDays: 80,
    grants: [
      { system: "github.com/acme/web", permission: "READ" },
      { system: "github.com/acme/web", permission: "WRITE" },
    ],
    credentials: [
      { type: "API_KEY", label: "Cursor team key", ageDays: 20, expiresInDays: 70, rotationPeriodDays: 90, lastUsedDaysAgo: 0 },
    ],
  },
  {
    name: "infra-autopilot",
    kind: "CODING_AGENT",
    vendor: "Acme",
    product: "In-house agent",
    model: "claude-opus",
    purpose: "Proposes Terraform changes for staging",
    environment: "STAGING",
    autonomy: "AUTONOMOUS",
    status: "PROPOSED",
    owner: "alex.approver@example.com",
    team: "Platform",
    expiresInDays: 45,
    nextReviewInDays: 30,
    grants: [{ system: "aws-staging", permission: "ADMIN" }],
    credentials: [{ type: "CLOUD_ROLE", label: "staging terraform role", ageDays: 5, rotationPeriodDays: 30 }],
  },
  {
    name: "ci-security-scanner",
    kind: "CI_BOT",
    vendor: "Acme",
    product: "Scanner",
    purpose: "Runs dependency and secret scans in CI",
    environment: "PROD",
    autonomy: "EXECUTE",
    status: "ACTIVE",
    owner: "sam.lead@example.com",
    team: "Security",
    expiresInDays: 250,
    nextReviewInDays: 70,
    grants: [
      { system: "GitHub Actions", permission: "READ" },
      { system: "Vault", permission: "READ", mode: "JUST_IN_TIME" },
    ],
    credentials: [{ type: "JIT_TOKEN", label: "per-run OIDC token", ageDays: 0, lastUsedDaysAgo: 0 }],
  },
  {
    name: "docs-writer-plugin",
    kind: "PLUGIN",
    vendor: "Acme",
    product: "Docs plugin",
    model: "gpt-5-mini",
    purpose: "Drafts public documentation from merged pull requests",
    environment: "DEV",
    autonomy: "DRAFT",
    status: "RETIRED",
    owner: "omar.owner@example.com",
    team: "Developer Experience",
    expiresInDays: -20,
    nextReviewInDays: -50,
    grants: [],
    credentials: [],
  },
  {
    name: "legacy-deploy-bot",
    kind: "CI_BOT",
    vendor: "Acme",
    product: "deploy.sh",
    purpose: "Old deploy pipeline kept for the billing API",
    environment: "STAGING",
    autonomy: "AUTONOMOUS",
    status: "EXPIRED",
    owner: "alex.approver@example.com",
    team: "Platform",
    expiresInDays: -3,
    nextReviewInDays: -100,
    grants: [{ system: "internal-billing-api", permission: "DEPLOY" }],
    credentials: [{ type: "SSH_KEY", label: "deploy key", ageDays: 900, lastUsedDaysAgo: 200 }],
  },
];

function fakeFingerprint(label: string): string {
  // Demo fingerprints only need to look like the SHA-256 prefixes real ones are.
  let hash = 0;
  for (const char of label) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `SHA256:${hash.toString(16).padStart(8, "0")}demo`;
}

async function seedDemoData(tx: Tx): Promise<Record<string, number>> {
  const now = Date.now();
  const teams = new Map<string, string>();
  for (const name of new Set(DEMO_USERS.map((user) => user.team).concat(DEMO_IDENTITIES.map((identity) => identity.team)))) {
    teams.set(name, (await tx.team.create({ data: { name } })).id);
  }
  const users = new Map<string, string>();
  for (const user of DEMO_USERS) {
    const row = await tx.user.create({
      data: { email: user.email, name: user.name, roles: user.roles, active: user.active ?? true, teamId: teams.get(user.team) },
    });
    users.set(user.email, row.id);
  }
  const systems = new Map<string, string>();
  for (const system of SYSTEMS) {
    const ownerId = SYSTEM_OWNERS[system.name] ? users.get(SYSTEM_OWNERS[system.name]!) : undefined;
    systems.set(system.name, (await tx.system.create({ data: { ...system, ownerId } })).id);
  }
  await seedDemoTemplates(tx, { teams, systems, createdById: users.get("sam.lead@example.com")! });

  let grants = 0;
  let credentials = 0;
  for (const identity of DEMO_IDENTITIES) {
    const owner = DEMO_USERS.find((user) => user.email === identity.owner);
    const row = await tx.aiIdentity.create({
      data: {
        name: identity.name,
        kind: identity.kind,
        vendor: identity.vendor,
        product: identity.product,
        model: identity.model,
        purpose: identity.purpose,
        environment: identity.environment,
        autonomy: identity.autonomy,
        status: identity.status,
        ownerId: users.get(identity.owner)!,
        backupOwnerId: identity.backupOwner ? users.get(identity.backupOwner) : undefined,
        teamId: teams.get(identity.team),
        expiresAt: new Date(now + identity.expiresInDays * DAY),
        nextReviewAt: new Date(now + identity.nextReviewInDays * DAY),
        orphanedAt: owner?.active === false ? new Date(now - 3 * DAY) : undefined,
      },
    });
    for (const grant of identity.grants) {
      await tx.grant.create({
        data: { identityId: row.id, systemId: systems.get(grant.system)!, permission: grant.permission, mode: grant.mode ?? "STANDING" },
      });
      grants += 1;
    }
    for (const credential of identity.credentials) {
      await tx.credential.create({
        data: {
          identityId: row.id,
          type: credential.type,
          label: credential.label,
          fingerprint: fakeFingerprint(`${identity.name}/${credential.label}`),
          issuedAt: new Date(now - credential.ageDays * DAY),
          lastRotatedAt: new Date(now - credential.ageDays * DAY),
          expiresAt: credential.expiresInDays === undefined ? undefined : new Date(now + credential.expiresInDays * DAY),
          lastUsedAt: credential.lastUsedDaysAgo === undefined ? undefined : new Date(now - credential.lastUsedDaysAgo * DAY),
          rotationPeriodDays: credential.rotationPeriodDays,
          vaultPath: credential.vaultPath,
          status: identity.status === "EXPIRED" || identity.status === "RETIRED" ? "REVOKED" : "ACTIVE",
        },
      });
      credentials += 1;
    }
    if (identity.pastReview) {
      const { attestedDaysAgo, outcome, comment, permissionsMinimal = true } = identity.pastReview;
      await tx.review.create({
        data: {
          identityId: row.id,
          status: "COMPLETED",
          trigger: "SCHEDULED",
          openedAt: new Date(now - (attestedDaysAgo + 10) * DAY),
          dueAt: new Date(now - (attestedDaysAgo - 4) * DAY),
          stillNeeded: true,
          purposeUnchanged: true,
          permissionsMinimal,
          credentialsRotated: true,
          outcome,
          comment,
          attestedById: users.get(identity.owner)!,
          closedAt: new Date(now - attestedDaysAgo * DAY),
        },
      });
    }
    // Its first rating, as at registration: the review date chosen above stands.
    await recomputeRisk(tx, row.id, undefined, { moveReview: false });
  }
  // A message in the outbox, so the admin's Notifications page shows what Warrant would have emailed (the demo has no SMTP server).
  const release = await tx.aiIdentity.findFirstOrThrow({ where: { name: "claude-code-release-agent" }, select: { id: true } });
  await enqueueNotification(tx, {
    event: "review.overdue",
    subject: "Review overdue: claude-code-release-agent",
    text: "The review of claude-code-release-agent (PROD, deploys to k8s-prod) was due 12 days ago.\nAttest that it is still needed, or retire it: past the grace period it is suspended.",
    link: `/inventory/${release.id}`,
    recipientUserIds: [users.get("olivia.owner@example.com")!],
    data: { identityId: release.id, identity: "claude-code-release-agent", overdueDays: 12 },
  });
  return { teams: teams.size, users: users.size, systems: systems.size, identities: DEMO_IDENTITIES.length, grants, credentials };
}

/**
 * Loads the demo organisation unless it was loaded before (or the database
 * already has users of its own). Returns whether it loaded anything.
 */
export async function seedDemoDataOnce(db: Db, log: (message: string) => void = () => undefined): Promise<boolean> {
  const seeded = await db.$transaction(
    async (tx) => {
      // Two replicas starting together must not both seed.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${DEMO_SEED_LOCK}))`;
      const marker = await tx.setting.findUnique({ where: { key: SEEDED_KEY } });
      if (marker || (await tx.user.count()) > 0) return false;
      const counts = await seedDemoData(tx);
      await tx.setting.create({ data: { key: SEEDED_KEY, value: new Date().toISOString() } });
      // Removed once the follow-ups below have all run: a start stopped before then finishes them next time.
      await tx.setting.create({ data: { key: FOLLOW_UPS_PENDING_KEY, value: new Date().toISOString() } });
      await recordAuditEvent(tx, { type: "SYSTEM", id: null, label: "demo seed" }, { action: "demo.seeded", data: counts });
      return true;
    },
    { timeout: 60_000 },
  );
  const resumed = await finishDemoFollowUps(db, seeded ? "first" : "resume");
  if (resumed) log("Finished loading the demo data that an interrupted start had left half-loaded.");
  return seeded;
}

/**
 * What the demo does after its organisation exists, through the real
 * mutations, each in its own transaction: so they cannot share the seed's
 * transaction, and a start stopped half-way (Ctrl-C, a crash) leaves some of
 * them done. Each step therefore skips what an earlier start already did
 * (see seed-approvals.ts, seed-decisions.ts, seed-discovery.ts), and the
 * pending marker goes only when all have run. Returns whether it finished
 * what an earlier start had left (false on the first start and once done).
 */
async function finishDemoFollowUps(db: Db, start: "first" | "resume"): Promise<boolean> {
  const pending = async () => (await db.setting.findUnique({ where: { key: FOLLOW_UPS_PENDING_KEY } })) !== null;
  if (!(await pending())) return false;
  return withDemoSeedLock(async () => {
    // Another replica may have finished them while this one waited for the lock.
    if (!(await pending())) return false;
    // The reviews the scheduler would open for the demo's due identities, opened now so the
    // demo starts as it would look a day later (and so the first job run finds nothing new).
    await openDueReviews(db, { kind: "system", label: "demo seed" });
    // Approvals are made through the real mutations by the demo's people, after the organisation exists.
    await seedDemoApprovals(db);
    await seedDemoDecisions(db);
    await seedDemoDiscovery(db);
    await db.setting.delete({ where: { key: FOLLOW_UPS_PENDING_KEY } });
    return start === "resume";
  });
}

/**
 * Runs `work` holding the seed's lock (the one seedDemoDataOnce's transaction
 * takes) on a connection of its own, outside the app's pool: the steps need
 * that pool's connections, however few it has. A process that dies lets go of
 * it with its connection.
 */
async function withDemoSeedLock<T>(work: () => Promise<T>): Promise<T> {
  const connection = await runtimePool().connect();
  try {
    await connection.query("SELECT pg_advisory_lock(hashtext($1))", [DEMO_SEED_LOCK]);
    try {
      return await work();
    } finally {
      await connection.query("SELECT pg_advisory_unlock(hashtext($1))", [DEMO_SEED_LOCK]);
    }
  } finally {
    connection.release();
  }
}
