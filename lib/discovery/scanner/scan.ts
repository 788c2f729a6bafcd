import path from "node:path";
import { findingFingerprint } from "@/lib/discovery/fingerprint";
import { findSecrets, redactSecrets, redactSecretsIn } from "@/lib/security/secret-detector";
import { MAX_FINDINGS_PER_SCAN, type ScanFinding, type ScanReport } from "@/lib/validation/discovery";
import { FOOTPRINT_DETECTORS, secretDetector } from "./detectors";
import { defaultRepositoryName, readHeadCommit } from "./git";
import { maskSecrets, snippetAround } from "./text";
import { clip } from "./tools";
import type { Detector, Footprint, FootprintFile } from "./types";
import { readFootprintFile, walkRepository, type WalkStats } from "./walk";

// `npm run cli -- scan`: walks a checked-out repository for the footprints
// of AI coding tools and writes the report lib/validation/discovery.ts
// describes. It needs no database and no network.

export const SCANNER = { name: "warrant-scan", version: "1.0.0" };

export interface ScanOptions {
  root: string;
  /** owner/name; by default the origin remote's, else the directory's name. */
  repository?: string;
  /** dev, staging or prod, any case; DEV by default. */
  environment?: string;
  team?: string;
  detectors?: Detector[];
}

export interface ScanOutcome {
  report: ScanReport & {
    repository: string;
    environment: string;
    durationMs: number;
    filesSeen: number;
    filesRead: number;
    findings: ScanFinding[];
  };
  walk: WalkStats;
  /** Claimed files that were not read (too large, binary), and detectors that failed on a file. */
  warnings: string[];
}

export function scanRepository(options: ScanOptions): ScanOutcome {
  const startedAt = new Date();
  const started = performance.now();
  const root = path.resolve(options.root);
  const repository = options.repository ?? defaultRepositoryName(root);
  const detectors = options.detectors ?? FOOTPRINT_DETECTORS;
  const warnings: string[] = [];

  const claimed: [string, Detector[]][] = [];
  const walk = walkRepository(root, (relativePath) => {
    const claiming = detectors.filter((detector) => detector.claims(relativePath));
    if (claiming.length > 0) claimed.push([relativePath, claiming]);
  });

  // Read first, all of them: a detector may need another claimed file to judge one (a reusable workflow's callers).
  const files: { file: FootprintFile; claiming: Detector[] }[] = [];
  for (const [relativePath, claiming] of claimed) {
    const read = readFootprintFile(root, relativePath);
    if ("skipped" in read) warnings.push(`${relativePath}: not read (${read.skipped})`);
    else files.push({ file: { path: relativePath, text: read.text }, claiming });
  }
  const context = { repository, claimedFiles: files.map(({ file }) => file) };

  const findings = new Map<string, ScanFinding>();
  for (const { file, claiming } of files) {
    const maskedLines = maskSecrets(file.text, findSecrets(file.text)).split("\n");
    for (const detector of [...claiming, secretDetector]) {
      let footprints: Footprint[];
      try {
        footprints = detector.detect(file, context);
      } catch (error) {
        // One odd file must not stop the scan of the rest: it is named, and the scan goes on.
        warnings.push(
          redactSecrets(`${file.path}: the ${detector.id} detector failed (${error instanceof Error ? error.message : String(error)})`),
        );
        continue;
      }
      for (const footprint of footprints) {
        const finding = toFinding(footprint, detector, file.path, maskedLines, repository);
        if (!findings.has(finding.fingerprint!)) findings.set(finding.fingerprint!, finding);
      }
    }
  }

  const commit = readHeadCommit(root);
  const sorted = [...findings.values()].sort((a, b) => byCodePoint(a.file, b.file) || a.line - b.line || byCodePoint(a.subject, b.subject));
  if (sorted.length > MAX_FINDINGS_PER_SCAN)
    warnings.push(`${sorted.length} findings: only the first ${MAX_FINDINGS_PER_SCAN} are reported`);
  return {
    report: {
      scanner: SCANNER,
      repository,
      environment: (options.environment ?? "dev").toUpperCase(),
      ...(options.team ? { team: options.team } : {}),
      ...(commit ? { commit } : {}),
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(performance.now() - started),
      filesSeen: walk.filesSeen,
      filesRead: files.length,
      findings: sorted.slice(0, MAX_FINDINGS_PER_SCAN),
    },
    walk,
    warnings,
  };
}

/** Plain string order, the same on every machine (localeCompare depends on the locale), so reports diff cleanly. */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A footprint as a report finding: every string redacted, clipped to the schema's limits, with its snippet and fingerprint. */
function toFinding(footprint: Footprint, detector: Detector, file: string, maskedLines: string[], repository: string): ScanFinding {
  const safe = redactSecretsIn(footprint);
  const subject = clip(safe.subject, 300);
  const line = Math.min(Math.max(1, Math.trunc(footprint.line) || 1), maskedLines.length);
  const proposal = safe.proposal && {
    ...safe.proposal,
    name: clip(safe.proposal.name, 120),
    capabilities: safe.proposal.capabilities.slice(0, 20).map((capability) => clip(capability, 300)),
  };
  return {
    fingerprint: findingFingerprint({ repository, detector: detector.id, file, subject }),
    detector: detector.id,
    severity: safe.severity,
    tool: clip(safe.tool, 120),
    subject,
    title: clip(redactSecrets(safe.title), 300),
    file,
    line,
    snippet: snippetAround(maskedLines, line),
    proposal,
    details: safe.details,
  };
}

/** A few lines for a person at a terminal: what was found, by severity, and what was not read. */
export function summarizeScan({ report, walk, warnings }: ScanOutcome): string {
  const count = (severity: string) => report.findings.filter((finding) => finding.severity === severity).length;
  const lines = [
    `Scanned ${report.repository} (${report.environment}): ${report.filesSeen} files seen, ${report.filesRead} read, in ${report.durationMs} ms` +
      ` (skipped ${walk.directoriesSkipped} vendored or build directories, ${walk.symlinksSkipped} symlinks).`,
    `${report.findings.length} findings: ${count("HIGH")} high, ${count("MEDIUM")} medium, ${count("LOW")} low.`,
    ...report.findings.map((finding) => `  ${finding.severity.padEnd(6)} ${finding.file}:${finding.line}  ${finding.title}`),
    ...warnings.map((warning) => `  warning: ${warning}`),
  ];
  return lines.join("\n");
}
