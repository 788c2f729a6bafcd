import { createHash, createPublicKey } from "node:crypto";
import { PassThrough, Writable } from "node:stream";
import packageJson from "@/package.json";
import { Prisma } from "@/lib/db/generated/client";
import { auditSigningKey, type Checkpoint } from "@/lib/audit/checkpoint";
import { recordAuditEvent } from "@/lib/audit/record";
import { toAuditActor } from "@/lib/auth/actor";
import type { Db, Tx } from "@/lib/db/client";
import { CONTROLS, findControl } from "@/lib/controls/library";
import { getFramework } from "@/lib/controls/frameworks";
import { latestResults, mappingsByControl } from "@/lib/controls/queries";
import { INVENTORY_CSV_COLUMNS, toCsvRow } from "@/lib/inventory/csv";
import { activeEvidenceKey } from "./keys";
import { AUDIT_EVENTS_FILE } from "./format";
import { createEvidencePackage, jsonLines, textInBatches, type ChainSegment } from "./package-writer";
import { buildAssessmentResults } from "./oscal-results";
import { renderEvidenceReport, type EvidenceReport, type ReportFramework } from "./report-pdf";
import type { AssessedRequirement, ControlResult, ControlStatus } from "./types";

// The evidence.build job's work: claim a requested package, read everything
// it holds from one snapshot of the database (REPEATABLE READ, so the files
// agree with each other), stream each file into the zip, and stream the zip
// into EvidenceChunk rows. Nothing is held whole in memory: every large file
// is read in keyset batches. A build holds a lease on its package; the
// attempt number fences writes, so a worker that died and came back cannot
// write into a build another worker restarted. A build that fails is tried
// again up to MAX_ATTEMPTS times, from the start.

const CHUNK_BYTES = 1024 * 1024;
const LEASE_MS = 15 * 60_000;
export const MAX_ATTEMPTS = 3;
const BATCH = 5000;
const SNAPSHOT_TIMEOUT_MS = 30 * 60_000;

interface Claimed {
  id: string;
  attempt: number;
  periodFrom: Date;
  periodTo: Date;
  frameworks: string[];
  teamId: string | null;
  requestedById: string;
}

const SYSTEM = toAuditActor({ kind: "system", label: "job:evidence.build" });

/** Takes the oldest waiting package (or one whose builder's lease ran out) for this worker. */
async function claimPackage(db: Db): Promise<Claimed | null> {
  const [row] = await db.$queryRaw<Claimed[]>`
    UPDATE "EvidencePackage" p
    SET "status" = 'BUILDING', "attempts" = p."attempts" + 1, "leaseUntil" = now() + ${`${LEASE_MS} milliseconds`}::interval,
        "startedAt" = now(), "progress" = 0, "stage" = 'starting', "error" = NULL
    WHERE p."id" = (
      SELECT q."id" FROM "EvidencePackage" q
      WHERE (q."status" = 'QUEUED' OR (q."status" = 'BUILDING' AND q."leaseUntil" < now())) AND q."attempts" < ${MAX_ATTEMPTS}
      ORDER BY q."requestedAt", q."id" LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING p."id", p."attempts" AS "attempt", p."periodFrom", p."periodTo", p."frameworks", p."teamId", p."requestedById"`;
  return row ?? null;
}

/** Packages whose last attempt died holding the lease, with no attempt left: failed, with the reason. */
async function giveUpAbandoned(db: Db): Promise<void> {
  const given = await db.$queryRaw<{ id: string }[]>`
    UPDATE "EvidencePackage" SET "status" = 'FAILED', "leaseUntil" = NULL, "finishedAt" = now(),
      "error" = coalesce("error", 'the build stopped ' || "attempts" || ' times without finishing (its worker died or was stopped)')
    WHERE "status" = 'BUILDING' AND "leaseUntil" < now() AND "attempts" >= ${MAX_ATTEMPTS}
    RETURNING "id"`;
  for (const { id } of given) {
    await db.$transaction((tx) =>
      recordAuditEvent(tx, SYSTEM, {
        action: "evidence.package_failed",
        targetType: "evidence_package",
        targetId: id,
        data: { reason: "abandoned" },
      }),
    );
  }
}

/** Fenced by the attempt: only the build that holds the package may write to it. */
async function reportProgress(db: Db, claimed: Claimed, progress: number, stage: string): Promise<void> {
  const updated = await db.$executeRaw`
    UPDATE "EvidencePackage" SET "progress" = ${progress}, "stage" = ${stage}, "leaseUntil" = now() + ${`${LEASE_MS} milliseconds`}::interval
    WHERE "id" = ${claimed.id} AND "attempts" = ${claimed.attempt} AND "status" = 'BUILDING'`;
  if (updated !== 1) throw new Error("another build took this package over (this one's lease ran out)");
}

/** The zip's bytes into EvidenceChunk rows, a megabyte at a time, with its SHA-256 and size on the way. */
class ChunkWriter extends Writable {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private index = 0;
  readonly hash = createHash("sha256");
  size = 0;

  constructor(
    private readonly db: Db,
    private readonly claimed: Claimed,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.hash.update(chunk);
    this.size += chunk.length;
    if (this.pendingBytes < CHUNK_BYTES) return callback();
    this.flush().then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.flush().then(() => callback(), callback);
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const data = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    const index = this.index++;
    const inserted = await this.db.$executeRaw`
      INSERT INTO "EvidenceChunk" ("packageId", "index", "data")
      SELECT ${this.claimed.id}, ${index}, ${data}
      WHERE EXISTS (SELECT 1 FROM "EvidencePackage" WHERE "id" = ${this.claimed.id} AND "attempts" = ${this.claimed.attempt} AND "status" = 'BUILDING')`;
    if (inserted !== 1) throw new Error("another build took this package over (this one's lease ran out)");
  }
}

/** Rows page by page through `fetch`, which reads the page after the previous one's last row. */
async function* pages<T>(fetch: (after: T | undefined) => Promise<T[]>): AsyncGenerator<T> {
  let last: T | undefined;
  for (;;) {
    const rows = await fetch(last);
    yield* rows;
    if (rows.length < BATCH) return;
    last = rows.at(-1);
  }
}

/**
 * JSON Lines made by PostgreSQL: for the big files (a period's audit events, tool calls, decisions)
 * the database writes each row's JSON text, so Node only passes strings on, with no object per row.
 */
async function* sqlLines(rows: AsyncIterable<{ line: string }>): AsyncGenerator<string> {
  yield* textInBatches(
    (async function* () {
      for await (const row of rows) yield `${row.line}\n`;
    })(),
  );
}

interface AuditTextRow {
  seq: string;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** The event's data as PostgreSQL writes jsonb: JSON text, put into the line as it is. */
  data: string;
  prevHash: string;
  hash: string;
}

/**
 * The audit file's lines: the record toAuditEventRecord (format.ts) describes, written field by
 * field. A million events a period: JSON text from plain columns costs half what building each
 * event's JSON in PostgreSQL or as an object here did (measured on the bench).
 */
async function* auditLines(rows: AsyncIterable<AuditTextRow>): AsyncGenerator<{ line: string }> {
  const text = JSON.stringify;
  for await (const row of rows) {
    yield {
      line:
        `{"seq":${text(row.seq)},"occurredAt":${text(row.occurredAt.toISOString())},"actorType":${text(row.actorType)},` +
        `"actorId":${text(row.actorId)},"actorLabel":${text(row.actorLabel)},"action":${text(row.action)},` +
        `"targetType":${text(row.targetType)},"targetId":${text(row.targetId)},"data":${row.data},` +
        `"prevHash":${text(row.prevHash)},"hash":${text(row.hash)}}`,
    };
  }
}

interface InventoryTextRow {
  id: string;
  externalId: string | null;
  name: string;
  kind: string;
  environment: string;
  status: string;
  riskTier: string;
  /** JSON text, as PostgreSQL writes jsonb. */
  riskReasons: string;
  ownerEmail: string;
  ownerName: string | null;
  ownerActive: boolean;
  backupOwnerEmail: string | null;
  team: string | null;
  autonomy: string;
  vendor: string | null;
  product: string | null;
  model: string | null;
  purpose: string;
  expiresAt: Date;
  nextReviewAt: Date;
  reviewCadenceDays: number;
  orphanedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The inventory's CSV, with the same columns and cell rules as its export from the browser (lib/inventory/csv.ts). */
async function* inventoryCsv(rows: AsyncIterable<InventoryTextRow>): AsyncGenerator<string> {
  yield* textInBatches(
    (async function* () {
      yield toCsvRow(INVENTORY_CSV_COLUMNS);
      for await (const row of rows) yield toCsvRow(INVENTORY_CSV_COLUMNS.map((column) => row[column]));
    })(),
  );
}

async function* identityLines(rows: AsyncIterable<InventoryTextRow>): AsyncGenerator<{ line: string }> {
  for await (const { riskReasons, ...row } of rows) {
    yield { line: `${JSON.stringify(row).slice(0, -1)},"riskReasons":${riskReasons}}` };
  }
}

/** Identities (aliased `i`) in the package's scope: one team's, or all. */
function teamScope(claimed: Claimed): Prisma.Sql {
  return claimed.teamId ? Prisma.sql`i."teamId" = ${claimed.teamId}` : Prisma.sql`TRUE`;
}

export interface BuildOutcome {
  id: string;
  sizeBytes: number;
  files: number;
}

/** Builds one claimed package; throws when it fails (the caller records it). */
async function build(db: Db, claimed: Claimed): Promise<BuildOutcome> {
  await db.$executeRaw`DELETE FROM "EvidenceChunk" WHERE "packageId" = ${claimed.id}`;
  const { keyId, privateKey } = await db.$transaction((tx) => activeEvidenceKey(tx));
  const auditKey = auditSigningKey();
  const output = new ChunkWriter(db, claimed);
  const writer = createEvidencePackage(output);
  const { periodFrom: from, periodTo: to } = claimed;
  const generatedAt = new Date();

  const finished = await db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe("SET TRANSACTION READ ONLY");
      const scope = teamScope(claimed);
      const team = claimed.teamId ? await tx.team.findUnique({ where: { id: claimed.teamId }, select: { name: true } }) : null;
      const scopeDescription = team ? `identities of team ${team.name} and what concerns them` : "the whole inventory";
      const steps = 11;
      let step = 0;
      const advance = (stage: string) => reportProgress(db, claimed, Math.round((step++ / steps) * 95), stage);

      await advance("inventory");
      // Plain columns, read once per file: the identities, then their live grants and active credentials
      // in files of their own (one scan each, instead of a subquery per identity).
      const identityBatch = (after: { id: string } | undefined) =>
        tx.$queryRaw<InventoryTextRow[]>`
          SELECT i."id", i."externalId", i."name", i."kind"::text AS "kind", i."environment"::text AS "environment", i."status"::text AS "status",
                 i."riskTier"::text AS "riskTier", i."riskReasons"::text AS "riskReasons", o."email" AS "ownerEmail", o."name" AS "ownerName",
                 o."active" AS "ownerActive", b."email" AS "backupOwnerEmail", i."teamName" AS "team", i."autonomy"::text AS "autonomy",
                 i."vendor", i."product", i."model", i."purpose", i."expiresAt", i."nextReviewAt", i."reviewCadenceDays", i."orphanedAt",
                 i."createdAt", i."updatedAt"
          FROM "AiIdentity" i JOIN "User" o ON o."id" = i."ownerId" LEFT JOIN "User" b ON b."id" = i."backupOwnerId"
          WHERE ${scope} AND i."createdAt" < ${to} AND i."id" > ${after?.id ?? ""}
          ORDER BY i."id" LIMIT ${BATCH}`;
      await writer.addFile("inventory/identities.csv", inventoryCsv(pages(identityBatch)));
      await writer.addFile("inventory/identities.jsonl", sqlLines(identityLines(pages(identityBatch))));
      await writer.addFile(
        "inventory/grants.jsonl",
        sqlLines(
          pages<{ id: string; line: string }>(
            (after) => tx.$queryRaw`
              SELECT g."id",
                     json_build_object('id', g."id", 'identityId', g."identityId", 'identity', i."name", 'systemId', g."systemId", 'system', s."name",
                       'systemEnvironment', s."environment", 'sensitivity', s."sensitivity", 'permission', g."permission", 'mode', g."mode",
                       'expiresAt', g."expiresAt", 'createdAt', g."createdAt", 'accessGrantId', g."accessGrantId")::text AS "line"
              FROM "Grant" g JOIN "AiIdentity" i ON i."id" = g."identityId" JOIN "System" s ON s."id" = g."systemId"
              WHERE ${scope} AND g."createdAt" < ${to} AND (g."revokedAt" IS NULL OR g."revokedAt" >= ${to}) AND (g."expiresAt" IS NULL OR g."expiresAt" > ${to})
                AND g."id" > ${after?.id ?? ""}
              ORDER BY g."id" LIMIT ${BATCH}`,
          ),
        ),
      );
      await writer.addFile(
        "inventory/credentials.jsonl",
        sqlLines(
          pages<{ id: string; line: string }>(
            (after) => tx.$queryRaw`
              SELECT c."id",
                     json_build_object('id', c."id", 'identityId', c."identityId", 'identity', i."name", 'type', c."type", 'label', c."label",
                       'fingerprint', c."fingerprint", 'issuedAt', c."issuedAt", 'expiresAt', c."expiresAt", 'lastRotatedAt', c."lastRotatedAt",
                       'rotationPeriodDays', c."rotationPeriodDays", 'lastUsedAt', c."lastUsedAt", 'vaultPath', c."vaultPath")::text AS "line"
              FROM "Credential" c JOIN "AiIdentity" i ON i."id" = c."identityId"
              WHERE ${scope} AND c."issuedAt" < ${to} AND (c."status" = 'ACTIVE' OR c."revokedAt" >= ${to}) AND c."id" > ${after?.id ?? ""}
              ORDER BY c."id" LIMIT ${BATCH}`,
          ),
        ),
      );

      await advance("reviews and attestations");
      await writer.addFile(
        "reviews/reviews.jsonl",
        jsonLines(
          pages<{ id: string; openedAt: Date }>(
            (after) => tx.$queryRaw`
              SELECT r."id", r."openedAt", r."identityId", i."name" AS "identity", r."status"::text AS "status", r."trigger"::text AS "trigger",
                     r."reason", r."dueAt", r."stillNeeded", r."purposeUnchanged", r."permissionsMinimal", r."credentialsRotated",
                     r."outcome"::text AS "outcome", r."comment", u."email" AS "attestedBy", r."closedAt",
                     r."changes", r."campaignId", rc."name" AS "campaign"
              FROM "Review" r JOIN "AiIdentity" i ON i."id" = r."identityId" LEFT JOIN "User" u ON u."id" = r."attestedById"
                LEFT JOIN "ReviewCampaign" rc ON rc."id" = r."campaignId"
              WHERE ${scope} AND ((r."openedAt" >= ${from} AND r."openedAt" < ${to}) OR (r."closedAt" >= ${from} AND r."closedAt" < ${to}))
                AND (r."openedAt", r."id") > (${after?.openedAt ?? new Date(0)}, ${after?.id ?? ""})
              ORDER BY r."openedAt", r."id" LIMIT ${BATCH}`,
          ),
        ),
      );

      await advance("approval requests and decisions");
      const approvalScope = claimed.teamId ? Prisma.sql`AND ${scope}` : Prisma.empty;
      await writer.addFile(
        "approvals/requests.jsonl",
        jsonLines(
          pages<{ id: string; createdAt: Date }>(
            (after) => tx.$queryRaw`
              SELECT r."id", r."createdAt", r."status"::text AS "status", r."mutation", r."summary", r."catalogKey", r."reason", r."justification",
                     q."email" AS "requester", r."identityId", r."systemId", r."riskBefore"::text AS "riskBefore", r."riskAfter"::text AS "riskAfter",
                     r."breakGlass", r."closedAt", r."outcome", r."changes",
                     coalesce((SELECT json_agg(json_build_object('level', d."level", 'verdict', d."verdict", 'by', u."email", 'comment', d."comment", 'at', d."createdAt") ORDER BY d."createdAt")
                               FROM "ApprovalDecision" d JOIN "User" u ON u."id" = d."deciderId" WHERE d."requestId" = r."id"), '[]'::json) AS "decisions"
              FROM "ApprovalRequest" r JOIN "User" q ON q."id" = r."requesterId" LEFT JOIN "AiIdentity" i ON i."id" = r."identityId"
              WHERE r."createdAt" >= ${from} AND r."createdAt" < ${to} ${approvalScope}
                AND (r."createdAt", r."id") > (${after?.createdAt ?? new Date(0)}, ${after?.id ?? ""})
              ORDER BY r."createdAt", r."id" LIMIT ${BATCH}`,
          ),
        ),
      );

      await advance("discovered footprints");
      // The findings as they stand (a finding keeps its latest evidence, not each scan's): those seen in the
      // period or still open at its end. A team's package holds its repositories' findings.
      const discoveryScope = claimed.teamId ? Prisma.sql`r."teamId" = ${claimed.teamId}` : Prisma.sql`TRUE`;
      await writer.addFile(
        "discovery/findings.jsonl",
        jsonLines(
          pages<{ id: string }>(
            (after) => tx.$queryRaw`
              SELECT f."id", r."name" AS "repository", r."environment"::text AS "environment", f."detector", f."severity"::text AS "severity",
                     f."tool", f."title", f."file", f."line", f."status"::text AS "status", f."identityId", i."name" AS "identity",
                     f."decidedBy", f."decidedAt", f."dismissReason", f."broaderPermissions"::text[] AS "beyondGrants",
                     f."firstSeenAt", f."lastSeenAt", f."goneAt", f."fingerprint"
              FROM "DiscoveryFinding" f JOIN "DiscoveryRepository" r ON r."id" = f."repositoryId" LEFT JOIN "AiIdentity" i ON i."id" = f."identityId"
              WHERE ${discoveryScope} AND f."firstSeenAt" < ${to} AND (f."lastSeenAt" >= ${from} OR f."status" = 'OPEN')
                AND f."id" > ${after?.id ?? ""}
              ORDER BY f."id" LIMIT ${BATCH}`,
          ),
        ),
      );

      await advance("just-in-time grants");
      await writer.addFile(
        "access/jit-grants.jsonl",
        jsonLines(
          pages<{ id: string; createdAt: Date }>(
            (after) => tx.$queryRaw`
              SELECT a."id", a."createdAt", a."identityId", i."name" AS "identity", a."systemId", a."permissions"::text[] AS "permissions", a."taskId",
                     a."taskIntent", a."ttlMinutes", a."decisionIds", a."approvalRequestId", a."issuedAt", a."expiresAt", a."completedAt", a."revokedAt", a."revokedReason"
              FROM "AccessGrant" a JOIN "AiIdentity" i ON i."id" = a."identityId"
              WHERE ${scope} AND a."createdAt" >= ${from} AND a."createdAt" < ${to}
                AND (a."createdAt", a."id") > (${after?.createdAt ?? new Date(0)}, ${after?.id ?? ""})
              ORDER BY a."createdAt", a."id" LIMIT ${BATCH}`,
          ),
        ),
      );

      await advance("runtime decisions");
      await writer.addFile(
        "runtime/decisions.jsonl",
        sqlLines(
          pages<{ id: string; createdAt: Date; line: string }>(
            (after) => tx.$queryRaw`
              SELECT d."id", d."createdAt",
                     json_build_object('id', d."id", 'createdAt', d."createdAt", 'identityId', d."identityId", 'identity', i."name", 'action', d."action",
                       'resourceType', d."resourceType", 'resourceId', d."resourceId", 'argumentsHash', d."argumentsHash", 'taskId', d."taskId",
                       'taskIntent', d."taskIntent", 'callId', d."callId", 'outcome', d."outcome", 'policyIds', d."policyIds", 'reasons', d."reasons",
                       'policyVersionId', d."policyVersionId", 'credentialKind', d."credentialKind", 'humanApproved', d."humanApproved",
                       'approvalRequestId', d."approvalRequestId")::text AS "line"
              FROM "PolicyDecision" d JOIN "AiIdentity" i ON i."id" = d."identityId"
              WHERE ${scope} AND d."createdAt" >= ${from} AND d."createdAt" < ${to}
                AND (d."createdAt", d."id") > (${after?.createdAt ?? new Date(0)}, ${after?.id ?? ""})
              ORDER BY d."createdAt", d."id" LIMIT ${BATCH}`,
          ),
        ),
      );

      await advance("tool calls and token uses");
      await writer.addFile(
        "runtime/activity-events.jsonl",
        sqlLines(
          // seq as text: JSON has no 64-bit integers (the audit file writes its seqs the same way).
          pages<{ seq: string; line: string }>(
            (after) => tx.$queryRaw`
              SELECT e."seq"::text AS "seq",
                     json_build_object('seq', e."seq"::text, 'receivedAt', e."receivedAt", 'occurredAt', e."occurredAt", 'identityId', e."identityId",
                       'identity', i."name", 'kind', e."kind", 'tool', e."tool", 'action', e."action", 'systemId', e."systemId",
                       'targetEnvironment', e."targetEnvironment", 'argumentsHash', e."argumentsHash", 'result', e."result",
                       'credentialKind', e."credentialKind", 'decisionId', e."decisionId", 'sessionId', e."sessionId", 'taskId', e."taskId",
                       'detail', e."detail", 'prevHash', e."prevHash", 'hash', e."hash")::text AS "line"
              FROM "ActivityEvent" e JOIN "AiIdentity" i ON i."id" = e."identityId"
              WHERE ${scope} AND e."receivedAt" >= ${from} AND e."receivedAt" < ${to} AND e."seq" > ${after ? BigInt(after.seq) : -1n}
              ORDER BY e."seq" LIMIT ${BATCH}`,
          ),
        ),
      );

      await advance("audit log");
      // The chain segment: every event from the first of the period to the last, whatever it concerns
      // (a segment with holes could not be checked), so the audit log is never scoped to a team.
      const [bounds] = await tx.$queryRaw<{ fromSeq: bigint | null; toSeq: bigint | null }[]>`
        SELECT (SELECT min("seq") FROM "AuditEvent" WHERE "occurredAt" >= ${from} AND "occurredAt" < ${to}) AS "fromSeq",
               (SELECT max("seq") FROM "AuditEvent" WHERE "occurredAt" >= ${from} AND "occurredAt" < ${to}) AS "toSeq"`;
      let chain: ChainSegment | null = null;
      let checkpoints: Checkpoint[] = [];
      if (bounds?.fromSeq != null && bounds.toSeq != null) {
        const { fromSeq, toSeq } = bounds as { fromSeq: bigint; toSeq: bigint };
        const [first, last] = await Promise.all([
          tx.auditEvent.findUniqueOrThrow({ where: { seq: fromSeq }, select: { prevHash: true } }),
          tx.auditEvent.findUniqueOrThrow({ where: { seq: toSeq }, select: { hash: true } }),
        ]);
        chain = { fromSeq, toSeq, startPrevHash: first.prevHash, endHash: last.hash };
        await writer.addFile(
          AUDIT_EVENTS_FILE,
          sqlLines(
            auditLines(
              pages<AuditTextRow>(
                (after) => tx.$queryRaw`
                  SELECT e."seq"::text AS "seq", e."occurredAt", e."actorType"::text AS "actorType", e."actorId", e."actorLabel", e."action",
                         e."targetType", e."targetId", e."data"::text AS "data", e."prevHash", e."hash"
                  FROM "AuditEvent" e
                  WHERE e."seq" > ${after ? BigInt(after.seq) : fromSeq - 1n} AND e."seq" <= ${toSeq}
                  ORDER BY e."seq" LIMIT ${BATCH}`,
              ),
            ),
          ),
        );
        checkpoints = await tx.auditCheckpoint.findMany({ where: { seq: { gte: fromSeq, lte: toSeq } }, orderBy: { seq: "asc" } });
      }

      await advance("control results");
      const results = await tx.controlResult.findMany({
        where: { createdAt: { gte: from, lt: to } },
        orderBy: [{ createdAt: "asc" }, { controlKey: "asc" }],
        include: { run: { select: { trigger: true } } },
      });
      const mappings = await mappingsByControl(tx);
      await writer.addFile(
        "controls/results.jsonl",
        jsonLines(
          results.map((result) => ({
            control: result.controlKey,
            title: findControl(result.controlKey)?.title ?? result.controlKey,
            runId: result.runId,
            trigger: result.run.trigger,
            at: result.createdAt,
            status: result.status,
            total: result.total,
            failed: result.failed,
            excepted: result.excepted,
            measure: result.measure,
            reason: result.reason,
            mappings: (mappings.get(result.controlKey) ?? []).map((mapping) => ({
              framework: mapping.frameworkId,
              code: mapping.code,
              alias: mapping.alias,
            })),
          })),
        ),
      );
      await writer.addFile(
        "controls/failures.jsonl",
        jsonLines(
          pages<{ resultId: string; objectType: string; objectId: string }>(
            (after) => tx.$queryRaw`
              SELECT f."resultId", r."controlKey", r."createdAt", f."objectType", f."objectId", f."label", f."detail", f."ownerId", f."excepted"
              FROM "ControlFailure" f JOIN "ControlResult" r ON r."id" = f."resultId"
              WHERE r."id" IN (SELECT DISTINCT ON (x."controlKey") x."id" FROM "ControlResult" x
                               WHERE x."createdAt" >= ${from} AND x."createdAt" < ${to} ORDER BY x."controlKey", x."createdAt" DESC)
                AND (f."resultId", f."objectType", f."objectId") > (${after?.resultId ?? ""}, ${after?.objectType ?? ""}, ${after?.objectId ?? ""})
              ORDER BY f."resultId", f."objectType", f."objectId" LIMIT ${BATCH}`,
          ),
        ),
      );
      const exceptions = await tx.controlException.findMany({
        where: { createdAt: { lt: to }, expiresAt: { gte: from }, OR: [{ revokedAt: null }, { revokedAt: { gte: from } }] },
        orderBy: { createdAt: "asc" },
        include: { createdBy: { select: { email: true } } },
      });
      const approvedBy = await exceptionApprovers(
        tx,
        exceptions.map((exception) => exception.id),
      );
      await writer.addFile(
        "controls/exceptions.json",
        `${JSON.stringify(
          exceptions.map((exception) => ({
            id: exception.id,
            control: exception.controlKey,
            objectType: exception.objectType,
            objectId: exception.objectId,
            object: exception.label,
            reason: exception.reason,
            expiresAt: exception.expiresAt,
            acceptedBy: exception.createdBy.email,
            approvedBy: approvedBy.get(exception.id) ?? null,
            acceptedAt: exception.createdAt,
            revokedAt: exception.revokedAt,
          })),
          null,
          2,
        )}\n`,
      );

      // Each control as it stood at the period's end: its last result by then.
      const standing = await latestResults(tx, to);
      const controlResults = new Map<string, ControlResult>(
        CONTROLS.map((control) => {
          const row = standing.find((candidate) => candidate.controlKey === control.key);
          const status: ControlStatus = !row
            ? "not-applicable"
            : row.status === "FAIL"
              ? "failing"
              : row.status === "NOT_APPLICABLE"
                ? "not-applicable"
                : (row.excepted ?? 0) > 0
                  ? "excepted"
                  : "passing";
          return [
            control.key,
            {
              controlId: control.key,
              title: control.title,
              status,
              measure: row ? row.measure : "not run by the period's end",
              evidence: ["controls/results.jsonl", "controls/failures.jsonl", "inventory/identities.csv"],
            },
          ];
        }),
      );

      await advance("report");
      const frameworks: ReportFramework[] = [];
      const assessed: AssessedRequirement[] = [];
      for (const frameworkId of claimed.frameworks) {
        const framework = await getFramework(tx, frameworkId);
        const requirements = framework.requirements.map((requirement) => {
          const controls = CONTROLS.filter((control) =>
            (mappings.get(control.key) ?? []).some((mapping) => mapping.requirementId === requirement.id),
          ).map((control) => controlResults.get(control.key)!);
          // Satisfied only when every control behind it passes outright: an exception is not a pass.
          const satisfied =
            controls.length === 0 ? null : controls.every((control) => control.status === "passing" || control.status === "not-applicable");
          if (controls.length > 0) {
            assessed.push({
              frameworkId: framework.id,
              frameworkTitle: framework.name,
              code: requirement.code,
              title: requirement.title,
              satisfied: satisfied === true,
              controls,
            });
          }
          return {
            code: requirement.code,
            title: requirement.title,
            satisfied,
            controls: controls.map((control) => ({ controlId: control.controlId, title: control.title, status: control.status })),
          };
        });
        frameworks.push({ id: framework.id, title: framework.name, requirements });
      }
      const requester = await tx.user.findUniqueOrThrow({ where: { id: claimed.requestedById }, select: { email: true, name: true } });
      const summary: Record<ControlStatus, number> = { passing: 0, failing: 0, "not-applicable": 0, excepted: 0 };
      for (const result of controlResults.values()) summary[result.status] += 1;
      const report: EvidenceReport = {
        organization: "Warrant",
        period: { from, to },
        scope: scopeDescription,
        generatedAt,
        generatedBy: requester.name ? `${requester.name} <${requester.email}>` : requester.email,
        packageId: claimed.id,
        summary,
        frameworks,
        exceptions: exceptions.map((exception) => ({
          control: findControl(exception.controlKey)?.title ?? exception.controlKey,
          object: exception.label,
          reason: exception.reason,
          expiresAt: exception.expiresAt,
          grantedBy: exception.createdBy.email,
          approvedBy: approvedBy.get(exception.id) ?? null,
        })),
        attestations: (
          await tx.review.findMany({
            where: {
              status: "COMPLETED",
              closedAt: { gte: from, lt: to },
              ...(claimed.teamId ? { identity: { teamId: claimed.teamId } } : {}),
            },
            orderBy: { closedAt: "asc" },
            take: 5000,
            select: { outcome: true, closedAt: true, identity: { select: { name: true } }, attestedBy: { select: { email: true } } },
          })
        ).map((review) => ({
          review: review.identity.name,
          attestedBy: review.attestedBy?.email ?? "—",
          attestedAt: review.closedAt!,
          outcome: review.outcome ?? "—",
        })),
        approvals: (
          await tx.approvalDecision.findMany({
            where: { createdAt: { gte: from, lt: to }, ...(claimed.teamId ? { request: { identity: { teamId: claimed.teamId } } } : {}) },
            orderBy: { createdAt: "asc" },
            take: 5000,
            select: {
              verdict: true,
              comment: true,
              createdAt: true,
              decider: { select: { email: true } },
              request: { select: { summary: true } },
            },
          })
        ).map((decision) => ({
          request: decision.request.summary,
          decision: decision.verdict === "APPROVE" ? "approved" : "rejected",
          decidedBy: decision.decider.email,
          decidedAt: decision.createdAt,
          reason: decision.comment,
        })),
      };
      const pdf = new PassThrough();
      const rendering = renderEvidenceReport(report, pdf);
      await Promise.all([writer.addFile("report.pdf", pdf), rendering]);

      await advance("OSCAL assessment results");
      if (assessed.length > 0) {
        const document = buildAssessmentResults({
          packageId: claimed.id,
          title: `Warrant evidence ${from.toISOString().slice(0, 10)} to ${to.toISOString().slice(0, 10)}`,
          version: claimed.id,
          generatedAt,
          period: { from, to },
          requirements: assessed,
        });
        await writer.addFile("oscal/assessment-results.json", `${JSON.stringify(document, null, 2)}\n`);
      }

      await advance("signing");
      return writer.finish(
        {
          generatedAt,
          generator: { name: "warrant", version: packageJson.version },
          period: { from, to },
          scope: {
            description: `${scopeDescription}; the inventory files hold the identities as they stood when the package was built, those registered by the period's end`,
            teamId: claimed.teamId,
            packageId: claimed.id,
            ...(assessed.length === 0
              ? { oscal: "no requirement of the chosen frameworks is mapped to a control, so no OSCAL results" }
              : {}),
          },
          frameworks: frameworks.map((framework) => ({ id: framework.id, title: framework.title })),
          chain,
          checkpoints,
          auditPublicKey: auditKey ? createPublicKey(auditKey) : null,
        },
        privateKey,
      );
    },
    { isolationLevel: "RepeatableRead", timeout: SNAPSHOT_TIMEOUT_MS },
  );

  const sha256 = output.hash.digest("hex");
  await db.$transaction(async (tx) => {
    const done = await tx.evidencePackage.updateMany({
      where: { id: claimed.id, attempts: claimed.attempt, status: "BUILDING" },
      data: {
        status: "READY",
        progress: 100,
        stage: "ready",
        leaseUntil: null,
        finishedAt: new Date(),
        sizeBytes: BigInt(output.size),
        sha256,
        keyId,
        fileCount: finished.manifest.files.length,
      },
    });
    if (done.count !== 1) throw new Error("another build took this package over (this one's lease ran out)");
    await recordAuditEvent(tx, SYSTEM, {
      action: "evidence.package_built",
      targetType: "evidence_package",
      targetId: claimed.id,
      data: { sha256, sizeBytes: output.size, files: finished.manifest.files.length, keyId, manifestSha256: finished.manifestSha256 },
    });
  });
  return { id: claimed.id, sizeBytes: output.size, files: finished.manifest.files.length };
}

/** Who approved each exception, from the audit event its approved request's application wrote. */
async function exceptionApprovers(tx: Tx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ id: string; approvedBy: unknown }[]>`
    SELECT e."data"->>'exceptionId' AS "id", e."data"->'approvedBy' AS "approvedBy"
    FROM "AuditEvent" e WHERE e."action" = 'control.exception_added' AND e."data"->>'exceptionId' = ANY(${ids}::text[])`;
  return new Map(
    rows.flatMap((row) => {
      const approvers = Array.isArray(row.approvedBy)
        ? row.approvedBy.map((entry) => (typeof entry === "string" ? entry : JSON.stringify(entry)))
        : [];
      return approvers.length > 0 ? [[row.id, approvers.join(", ")]] : [];
    }),
  );
}

/** Builds every waiting package, one after another; returns a line for the job's log. */
export async function buildWaitingPackages(db: Db): Promise<string> {
  await giveUpAbandoned(db);
  const built: BuildOutcome[] = [];
  const failed: string[] = [];
  for (let claimed = await claimPackage(db); claimed; claimed = await claimPackage(db)) {
    try {
      built.push(await build(db, claimed));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failed.push(`${claimed.id}: ${message}`);
      await recordFailure(db, claimed, message);
    }
  }
  if (built.length === 0 && failed.length === 0) return "no evidence package waiting";
  return [
    ...built.map((outcome) => `built ${outcome.id} (${outcome.files} files, ${outcome.sizeBytes} bytes)`),
    ...failed.map((line) => `failed ${line}`),
  ].join("; ");
}

/** A failed attempt waits for the next run; the last one fails the package for good, audited. */
async function recordFailure(db: Db, claimed: Claimed, message: string): Promise<void> {
  const final = claimed.attempt >= MAX_ATTEMPTS;
  await db.$transaction(async (tx) => {
    const updated = await tx.evidencePackage.updateMany({
      where: { id: claimed.id, attempts: claimed.attempt, status: "BUILDING" },
      data: final
        ? { status: "FAILED", leaseUntil: null, finishedAt: new Date(), error: message, stage: "failed" }
        : { status: "QUEUED", leaseUntil: null, error: message, stage: `attempt ${claimed.attempt} failed; trying again` },
    });
    if (updated.count === 1 && final) {
      await recordAuditEvent(tx, SYSTEM, {
        action: "evidence.package_failed",
        targetType: "evidence_package",
        targetId: claimed.id,
        data: { reason: message, attempts: claimed.attempt },
      });
    }
  });
}
