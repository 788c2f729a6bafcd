import { recordAuditEvent } from "@/lib/audit/record";
import { can, toAuditActor, type Actor } from "@/lib/auth/actor";
import type { Db, DbOrTx } from "@/lib/db/client";
import type { EvidencePackageStatus } from "@/lib/db/generated/enums";
import { AppError, forbidden, notFound } from "@/lib/errors";

// Evidence packages as people see them: the list with each build's progress,
// one package, and its download, which streams the stored chunks in order and
// is itself audited (who exported what, when).

export interface PackageView {
  id: string;
  status: EvidencePackageStatus;
  periodFrom: Date;
  periodTo: Date;
  frameworks: string[];
  teamId: string | null;
  teamName: string | null;
  requestedBy: string;
  requestedAt: Date;
  progress: number;
  stage: string | null;
  attempts: number;
  finishedAt: Date | null;
  error: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  keyId: string | null;
  fileCount: number | null;
}

const select = {
  id: true,
  status: true,
  periodFrom: true,
  periodTo: true,
  frameworks: true,
  teamId: true,
  requestedAt: true,
  progress: true,
  stage: true,
  attempts: true,
  finishedAt: true,
  error: true,
  sizeBytes: true,
  sha256: true,
  keyId: true,
  fileCount: true,
  requestedBy: { select: { name: true, email: true } },
} as const;

async function teamNames(db: DbOrTx, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const teams = await db.team.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
  return new Map(teams.map((team) => [team.id, team.name]));
}

type Row = Awaited<ReturnType<typeof findRows>>[number];
const findRows = (db: DbOrTx, where: { id?: string }, take: number) =>
  db.evidencePackage.findMany({ where, orderBy: [{ requestedAt: "desc" }, { id: "desc" }], take, select });

function view(row: Row, teams: Map<string, string>): PackageView {
  const { requestedBy, sizeBytes, ...rest } = row;
  return {
    ...rest,
    teamName: row.teamId ? (teams.get(row.teamId) ?? null) : null,
    requestedBy: requestedBy.name ? `${requestedBy.name} <${requestedBy.email}>` : requestedBy.email,
    sizeBytes: sizeBytes === null ? null : Number(sizeBytes),
  };
}

/** The newest packages first (everyone who may export sees every package: evidence is shared). */
export async function listPackages(db: DbOrTx, limit = 100): Promise<PackageView[]> {
  const rows = await findRows(db, {}, limit);
  const teams = await teamNames(
    db,
    rows.map((row) => row.teamId),
  );
  return rows.map((row) => view(row, teams));
}

export async function getPackage(db: DbOrTx, id: string): Promise<PackageView> {
  const [row] = await findRows(db, { id }, 1);
  if (!row) throw notFound("That evidence package");
  return view(row, await teamNames(db, [row.teamId]));
}

/**
 * The finished zip as a stream of its stored chunks, after recording who downloaded it. Chunks
 * are read one at a time, so a large package never sits whole in the server's memory.
 */
export async function openPackageDownload(
  db: Db,
  actor: Actor,
  id: string,
): Promise<{ body: ReadableStream<Uint8Array>; evidencePackage: PackageView }> {
  if (!can(actor, "evidence:export")) throw forbidden("download evidence packages");
  const evidencePackage = await getPackage(db, id);
  if (evidencePackage.status !== "READY") {
    throw new AppError(
      "conflict",
      `That package is not ready: it is ${evidencePackage.status.toLowerCase()}${evidencePackage.stage ? ` (${evidencePackage.stage})` : ""}.`,
    );
  }
  await db.$transaction((tx) =>
    recordAuditEvent(tx, toAuditActor(actor), {
      action: "evidence.package_downloaded",
      targetType: "evidence_package",
      targetId: id,
      data: { sha256: evidencePackage.sha256, sizeBytes: evidencePackage.sizeBytes },
    }),
  );
  let index = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const chunk = await db.evidenceChunk.findUnique({ where: { packageId_index: { packageId: id, index } }, select: { data: true } });
      if (!chunk) return controller.close();
      index += 1;
      controller.enqueue(new Uint8Array(chunk.data));
    },
  });
  return { body, evidencePackage };
}

export function downloadResponse(body: ReadableStream<Uint8Array>, evidencePackage: PackageView): Response {
  const name = `warrant-evidence-${evidencePackage.periodFrom.toISOString().slice(0, 10)}-${evidencePackage.periodTo.toISOString().slice(0, 10)}-${evidencePackage.id}.zip`;
  return new Response(body, {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="${name}"`,
      ...(evidencePackage.sizeBytes !== null ? { "content-length": String(evidencePackage.sizeBytes) } : {}),
      ...(evidencePackage.sha256 ? { "x-warrant-sha256": evidencePackage.sha256 } : {}),
      "cache-control": "no-store",
    },
  });
}

/** The teams a package may be scoped to, by name. */
export async function scopeTeams(db: DbOrTx): Promise<{ id: string; name: string }[]> {
  return db.team.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } });
}
