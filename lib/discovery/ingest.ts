import type { Actor } from "@/lib/auth/actor";
import { defineMutation } from "@/lib/auth/mutation";
import type { AuditEntry } from "@/lib/audit/record";
import type { Tx } from "@/lib/db/client";
import { Prisma, type Environment, type System } from "@/lib/db/generated/client";
import { AppError, validationError } from "@/lib/errors";
import { registeredSensitivity } from "@/lib/inventory/systems";
import { enqueueNotification } from "@/lib/notifications/outbox";
import { scanReportSchema, type ParsedScanReport } from "@/lib/validation/discovery";
import { mayMoveRepositories, teamOf } from "./access";
import { findingFingerprint } from "./fingerprint";
import { impliedPermissions } from "./proposal";
import { findRepositorySystem, recheckReach } from "./reach";

// A submitted scan report becomes the repository's findings. Each finding is
// keyed by its fingerprint within the repository (and environment), so a
// rescan updates what it finds again, adds what is new, and marks gone what
// it no longer finds; submitting the same report twice changes nothing but
// the "last seen" times. Decisions already taken (registered, linked,
// dismissed) stay; a gone finding that comes back is open to the same
// decision as before. Everything happens in one transaction, which holds the
// repository's row, so two scans of one repository apply one after the other.

interface RepositoryRow {
  id: string;
  teamId: string | null;
}

/**
 * The team a scan gives its repository. Naming one sets it on a new repository;
 * moving a repository that has a team to another decides who sees its findings,
 * so only security leads and admins may (anyone else's scan keeps the team).
 */
async function resolveTeam(
  tx: Tx,
  actor: Actor,
  report: { repository: string; environment: Environment; team?: string },
): Promise<{ teamId: string | null; explicit: boolean; movedFrom?: { id: string; name: string } }> {
  const teamName = report.team;
  if (teamName) {
    const team = await tx.team.findUnique({ where: { name: teamName }, select: { id: true } });
    if (!team) throw validationError({ team: `must be an existing team's name (no team is called ${teamName})` });
    const existing = await tx.discoveryRepository.findUnique({
      where: { name_environment: { name: report.repository, environment: report.environment } },
      select: { team: { select: { id: true, name: true } } },
    });
    const movedFrom = existing?.team && existing.team.id !== team.id ? existing.team : undefined;
    if (movedFrom && !mayMoveRepositories(actor)) {
      throw new AppError(
        "forbidden",
        `${report.repository} belongs to team ${movedFrom.name}; only security leads and admins move a repository to another team.`,
        {
          team: `must be ${movedFrom.name}, the repository's team, or left out`,
        },
      );
    }
    return { teamId: team.id, explicit: true, movedFrom };
  }
  return { teamId: await teamOf(tx, actor), explicit: false };
}

/** The repository's row, created on its first scan, locked for the rest of the transaction. */
async function lockRepository(
  tx: Tx,
  name: string,
  environment: Environment,
  team: { teamId: string | null; explicit: boolean },
  now: Date,
) {
  const [row] = await tx.$queryRaw<RepositoryRow[]>`
    INSERT INTO "DiscoveryRepository" ("id", "name", "environment", "teamId", "createdAt", "lastScanAt")
    VALUES (${`repo_${crypto.randomUUID()}`}, ${name}, CAST(${environment} AS "Environment"), ${team.teamId}, ${now}, ${now})
    ON CONFLICT ("name", "environment") DO UPDATE
      SET "lastScanAt" = EXCLUDED."lastScanAt",
          "teamId" = CASE WHEN ${team.explicit} OR "DiscoveryRepository"."teamId" IS NULL THEN EXCLUDED."teamId" ELSE "DiscoveryRepository"."teamId" END
    RETURNING "id", "teamId"`;
  if (!row) throw new Error("The repository's row was neither inserted nor updated");
  return row;
}

/**
 * The repository as a System (kind REPOSITORY), which registered identities
 * are granted access on; made by the first scan that proposes an identity.
 * Its sensitivity is INTERNAL, awaiting a security lead's confirmation when
 * someone else's scan made it (the rule for every system, lib/inventory/systems.ts).
 */
export async function ensureRepositorySystem(
  tx: Tx,
  actor: Actor,
  name: string,
  environment: Environment,
): Promise<{ system: System; audit?: AuditEntry }> {
  const existing = await findRepositorySystem(tx, { name, environment });
  if (existing) return { system: existing };
  const data = {
    name,
    kind: "REPOSITORY" as const,
    environment,
    description: "A repository found by a discovery scan.",
    ...registeredSensitivity(actor, "INTERNAL"),
  };
  const system = await tx.system.create({ data });
  return {
    system,
    audit: { action: "system.created", targetType: "system", targetId: system.id, data: { ...data, from: "discovery scan" } },
  };
}

/** The queue filtered to one repository. */
function queueLink(name: string, environment: Environment): string {
  return `/discovered?repository=${encodeURIComponent(name)}&environment=${environment}`;
}

function fingerprintsOf(report: ParsedScanReport): string[] {
  const seen = new Map<string, number>();
  return report.findings.map((finding, index) => {
    const fingerprint = findingFingerprint({
      repository: report.repository,
      detector: finding.detector,
      file: finding.file,
      subject: finding.subject,
    });
    const earlier = seen.get(fingerprint);
    if (earlier !== undefined) {
      throw validationError({
        [`findings.${index}.subject`]: `repeats finding ${earlier} (same detector, file and subject); each footprint is reported once`,
      });
    }
    seen.set(fingerprint, index);
    return fingerprint;
  });
}

/**
 * Security leads hear at once, in the scan's transaction, about high-severity
 * footprints a scan finds for the first time (a leaked secret, an agent that can
 * write or deploy from CI); the rest waits in the queue and the discovery control.
 */
async function notifyHighSeverity(
  tx: Tx,
  repository: { name: string; environment: Environment },
  found: { title: string; file: string; line: number; detector: string }[],
  link: string,
) {
  if (found.length === 0) return;
  const leads = await tx.user.findMany({ where: { active: true, roles: { has: "SECURITY_LEAD" } }, select: { id: true } });
  const secrets = found.filter((finding) => finding.detector === "secret").length;
  await enqueueNotification(tx, {
    event: "discovery.high_severity",
    subject: `Scan of ${repository.name} (${repository.environment}) found ${found.length} high-severity footprint${found.length === 1 ? "" : "s"}${secrets > 0 ? `, ${secrets} leaked secret${secrets === 1 ? "" : "s"}` : ""}`,
    text: [
      `A scan of ${repository.name} (${repository.environment}) found for the first time:`,
      ...found.slice(0, 10).map((finding) => `- ${finding.title} (${finding.file}:${finding.line})`),
      found.length > 10 ? `… and ${found.length - 10} more.` : null,
      secrets > 0 ? "Rotate a leaked secret first, then dismiss or link its finding." : null,
    ]
      .filter((line): line is string => line !== null)
      .join("\n"),
    link,
    recipientUserIds: leads.map((lead) => lead.id),
    data: { repository: repository.name, environment: repository.environment, count: found.length, secrets },
  });
}

export interface ScanCounts {
  total: number;
  new: number;
  seenAgain: number;
  gone: number;
  flagged: number;
}

async function applyScan(tx: Tx, actor: Actor, report: ParsedScanReport) {
  const now = new Date();
  const fingerprints = fingerprintsOf(report);
  const team = await resolveTeam(tx, actor, report);
  const repository = await lockRepository(tx, report.repository, report.environment, team, now);
  const audits: AuditEntry[] = [];
  if (team.movedFrom) {
    // The same event as moving it on its page (lib/discovery/repositories.ts): who sees its findings changed.
    audits.push({
      action: "discovery.repository_moved",
      targetType: "discovery_repository",
      targetId: repository.id,
      data: {
        repository: report.repository,
        environment: report.environment,
        fromTeam: team.movedFrom.name,
        toTeam: report.team,
        by: "scan",
      },
    });
  }

  let system = await findRepositorySystem(tx, { name: report.repository, environment: report.environment });
  if (!system && report.findings.some((finding) => finding.proposal)) {
    const ensured = await ensureRepositorySystem(tx, actor, report.repository, report.environment);
    system = ensured.system;
    if (ensured.audit) audits.push(ensured.audit);
  }

  const existing = await tx.discoveryFinding.findMany({ where: { repositoryId: repository.id } });
  const byFingerprint = new Map(existing.map((finding) => [finding.fingerprint, finding]));
  const scanId = `scan_${crypto.randomUUID()}`;
  const counts: ScanCounts = { total: report.findings.length, new: 0, seenAgain: 0, gone: 0, flagged: 0 };
  const newIds: string[] = [];
  const newHigh: { title: string; file: string; line: number; detector: string }[] = [];

  for (const [index, finding] of report.findings.entries()) {
    const fingerprint = fingerprints[index] as string;
    const evidence = {
      detector: finding.detector,
      severity: finding.severity,
      tool: finding.tool,
      subject: finding.subject,
      title: finding.title,
      file: finding.file,
      line: finding.line,
      snippet: finding.snippet,
      proposal: finding.proposal ? (finding.proposal as Prisma.InputJsonValue) : Prisma.DbNull,
      details: finding.details as Prisma.InputJsonValue,
      lastSeenAt: now,
      lastScanId: scanId,
    };
    const known = byFingerprint.get(fingerprint);
    if (!known) {
      const created = await tx.discoveryFinding.create({
        data: { ...evidence, fingerprint, repositoryId: repository.id, firstSeenAt: now },
        select: { id: true },
      });
      newIds.push(created.id);
      if (finding.severity === "HIGH") newHigh.push(finding);
      counts.new += 1;
      continue;
    }
    await tx.discoveryFinding.update({
      where: { id: known.id },
      data: { ...evidence, goneAt: null },
    });
    counts.seenAgain += 1;
    if (known.identityId && (known.status === "REGISTERED" || known.status === "LINKED")) {
      const reach = await recheckReach(
        tx,
        actor,
        { ...known, identityId: known.identityId },
        impliedPermissions(finding.proposal),
        { name: report.repository, environment: report.environment },
        system,
        now,
      );
      if (reach.length > 0) counts.flagged += 1;
      audits.push(...reach);
    }
  }

  const seen = new Set(fingerprints);
  const goneIds = existing.filter((finding) => finding.goneAt === null && !seen.has(finding.fingerprint)).map((finding) => finding.id);
  if (goneIds.length > 0) await tx.discoveryFinding.updateMany({ where: { id: { in: goneIds } }, data: { goneAt: now } });
  counts.gone = goneIds.length;

  const scan = await tx.discoveryScan.create({
    data: {
      id: scanId,
      repositoryId: repository.id,
      submittedAt: now,
      submittedBy: actor.label,
      scanner: `${report.scanner.name} ${report.scanner.version}`,
      commit: report.commit ?? null,
      startedAt: report.startedAt,
      durationMs: report.durationMs,
      filesSeen: report.filesSeen,
      filesRead: report.filesRead,
      findingsTotal: counts.total,
      findingsNew: counts.new,
      findingsGone: counts.gone,
    },
  });
  await notifyHighSeverity(
    tx,
    { name: report.repository, environment: report.environment },
    newHigh,
    queueLink(report.repository, report.environment),
  );
  audits.unshift({
    action: "discovery.scan_submitted",
    targetType: "discovery_repository",
    targetId: repository.id,
    data: {
      scanId,
      repository: report.repository,
      environment: report.environment,
      commit: report.commit,
      counts,
      newFindingIds: newIds.slice(0, 200),
      goneFindingIds: goneIds.slice(0, 200),
    },
  });
  return { scan, repository: { id: repository.id, name: report.repository, environment: report.environment }, counts, audits };
}

/** Takes a scan report (lib/validation/discovery.ts) and updates the repository's findings; see the top of this file. */
export const submitScan = defineMutation({
  name: "discovery.submit-scan",
  description: "submit repository scans",
  permission: "inventory:write",
  input: scanReportSchema,
  async run({ tx, actor, audit }, input) {
    const result = await applyScan(tx, actor, input);
    for (const entry of result.audits) await audit(entry);
    const { name, environment } = result.repository;
    return { scan: result.scan, repository: result.repository, counts: result.counts, link: queueLink(name, environment) };
  },
});
