import { z } from "zod";
import { autonomySchema, environmentSchema, identityKindSchema, optionalText, permissionSchema, requiredText } from "./inventory";

// The scan report: what `npm run cli -- scan` writes (--report) and sends
// (--submit) to POST /api/v1/discovery/scans. One shape for both, so a report
// saved by a CI job can be submitted later as it is.

/** The footprint kinds the scanner looks for; each has a module in lib/discovery/scanner/detectors/. */
export const DETECTOR_IDS = ["mcp-config", "agent-settings", "ci-workflow", "instruction-file", "secret"] as const;
export type DetectorId = (typeof DETECTOR_IDS)[number];

export const FINDING_SEVERITIES = ["LOW", "MEDIUM", "HIGH"] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

/** How many findings one report may carry: more means the scanner is reading the wrong files. */
export const MAX_FINDINGS_PER_SCAN = 2000;

/**
 * The largest report the API takes. A report is one document (the repository's
 * whole footprint: what it leaves out is marked gone), so it cannot be sent in
 * parts, and the API's usual 1 MiB is about 500 findings with long snippets.
 * 8 MiB holds the largest report of ordinary findings (2,000 at about 4 KiB
 * each) and stays under the 10 MB that Next buffers for a request.
 */
export const MAX_SCAN_REPORT_BYTES = 8 * 1024 * 1024;

/** owner/name as GitHub and GitLab spell it (GitLab allows subgroups). */
export const repositoryNameSchema = requiredText(200).regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, {
  message: "must be a repository name such as owner/name (letters, digits, . _ - and /)",
});

/** Environment in a report may be written as the CLI takes it (dev) or as the API does (DEV). */
const reportEnvironment = z.preprocess((value) => (typeof value === "string" ? value.toUpperCase() : value), environmentSchema);

/** The identity Warrant proposes for a footprint: what to register, and its likely reach on the repository. */
export const proposedIdentitySchema = z.object({
  kind: identityKindSchema,
  name: requiredText(120),
  vendor: optionalText(120),
  product: optionalText(120),
  autonomy: autonomySchema,
  /** Grants the footprint implies on the scanned repository (READ for a checkout, WRITE for contents: write, …). */
  permissions: z.array(permissionSchema).max(4),
  /** Reach beyond the repository, in words: "can mint cloud credentials (id-token: write)". */
  capabilities: z.array(requiredText(300)).max(20),
});
export type ProposedIdentity = z.output<typeof proposedIdentitySchema>;

/** A relative path inside the repository, with forward slashes, never leaving it. */
const repositoryPath = requiredText(500).refine((path) => !path.startsWith("/") && !path.split("/").includes(".."), {
  message: "must be a path inside the repository (relative, no ..)",
});

export const scanFindingSchema = z.object({
  /** Computed by the scanner for the report; the server computes its own from the same parts (lib/discovery/fingerprint.ts). */
  fingerprint: z.string().max(128).optional(),
  detector: z.enum(DETECTOR_IDS, { message: `must be one of ${DETECTOR_IDS.join(", ")}` }),
  severity: z.enum(FINDING_SEVERITIES, { message: `must be one of ${FINDING_SEVERITIES.join(", ")}` }),
  /** The tool the footprint belongs to, e.g. "Claude Code", "GitHub Copilot", "MCP server github". */
  tool: requiredText(120),
  /** What in the file the finding is about, stable across scans: "mcpServers.github", "jobs.review", a secret's kind and fingerprint. */
  subject: requiredText(300),
  title: requiredText(300),
  file: repositoryPath,
  line: z.coerce.number().int().min(1, { message: "must be a line number (1 or more)" }),
  /** A few lines around the footprint, any secret in them already masked. */
  snippet: z.string().max(2000, { message: "must be at most 2000 characters" }),
  proposal: proposedIdentitySchema.nullable(),
  /** Detector-specific facts (command, url, env var names, secret names, permissions); never a secret's value. */
  details: z.record(z.string(), z.unknown()),
});
export type ScanFinding = z.output<typeof scanFindingSchema>;

export const scanReportSchema = z.object({
  scanner: z.object({ name: requiredText(60), version: requiredText(40) }),
  repository: repositoryNameSchema,
  environment: reportEnvironment,
  /** The team whose owners see this repository's findings; defaults to the submitter's team. */
  team: optionalText(120),
  commit: optionalText(64),
  startedAt: z.coerce.date({ message: "must be a date and time, e.g. 2026-11-30T12:00:00Z" }),
  durationMs: z.coerce.number().int().min(0),
  filesSeen: z.coerce.number().int().min(0),
  filesRead: z.coerce.number().int().min(0),
  findings: z
    .array(scanFindingSchema, { message: "must be a list of findings" })
    .max(MAX_FINDINGS_PER_SCAN, { message: `must be at most ${MAX_FINDINGS_PER_SCAN} findings` }),
});
export type ScanReport = z.input<typeof scanReportSchema>;
export type ParsedScanReport = z.output<typeof scanReportSchema>;

// Deciding a finding: register it as a new identity, link it to an existing one, or dismiss it.

const findingId = requiredText(100);

/**
 * Registering a finding: the identity's own fields as when registering one
 * (its environment is the repository's), and the permissions to grant it on
 * the repository, which the form fills from the proposal.
 */
export const registerFindingInput = z.object({
  findingId,
  name: requiredText(120),
  purpose: requiredText(2000),
  kind: identityKindSchema,
  vendor: optionalText(120),
  product: optionalText(120),
  model: optionalText(120),
  autonomy: autonomySchema,
  ownerId: requiredText(100),
  backupOwnerId: optionalText(100),
  teamId: optionalText(100),
  expiresAt: z.coerce.date({ message: "must be a date, e.g. 2027-03-31" }),
  reviewCadenceDays: z.coerce.number({ message: "must be a number of days" }).int().min(7).max(365).default(90),
  /** A form sends one value per checked box, or none. */
  permissions: z.preprocess(
    (value) => (value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value]),
    z.array(permissionSchema).max(4),
  ),
});

export const linkFindingInput = z.object({ findingId, identityId: requiredText(100) });

export const dismissFindingInput = z.object({ findingId, reason: requiredText(500) });

export const reopenFindingInput = z.object({ findingId, reason: optionalText(500) });

/** Moving a scanned repository to another team, which decides who besides security leads, admins and auditors sees its findings. */
export const moveRepositoryInput = z.object({
  repositoryId: requiredText(100),
  teamId: requiredText(100),
  reason: optionalText(500),
});
