import type { FindingSeverity, FindingStatus, IdentityKind, Permission } from "@/lib/db/generated/enums";
import type { DetectorId } from "@/lib/validation/discovery";
import type { FindingSummary } from "./queries";

// Words for the Discovered pages, and a finding as a table row (plain strings,
// so it can cross into the client table).

export const SEVERITY_LABELS: Record<FindingSeverity, string> = { LOW: "Low", MEDIUM: "Medium", HIGH: "High" };

export const FINDING_STATUS_LABELS: Record<FindingStatus, string> = {
  OPEN: "Open",
  REGISTERED: "Registered",
  LINKED: "Linked",
  DISMISSED: "Dismissed",
};

export const DETECTOR_LABELS: Record<DetectorId, string> = {
  "mcp-config": "MCP configuration",
  "agent-settings": "Agent settings",
  "ci-workflow": "CI workflow",
  "instruction-file": "Instruction file",
  secret: "Secret",
};

export interface FindingTableRow {
  id: string;
  severity: FindingSeverity;
  status: FindingStatus;
  gone: boolean;
  beyondGrants: Permission[];
  tool: string;
  title: string;
  repository: string;
  environment: string;
  file: string;
  line: number;
  proposal: { kind: IdentityKind; permissions: Permission[] } | null;
  identity: { id: string; name: string } | null;
  /** A registration of it waiting for approval. */
  pendingRequestId: string | null;
  lastSeenAt: string;
}

export function toFindingTableRow(finding: FindingSummary & { pendingRequestId: string | null }): FindingTableRow {
  return {
    id: finding.id,
    severity: finding.severity,
    status: finding.status,
    gone: finding.gone,
    beyondGrants: finding.beyondGrants,
    tool: finding.tool,
    title: finding.title,
    repository: finding.repository,
    environment: finding.environment,
    file: finding.file,
    line: finding.line,
    proposal: finding.proposal ? { kind: finding.proposal.kind, permissions: finding.proposal.permissions } : null,
    identity: finding.identity ? { id: finding.identity.id, name: finding.identity.name } : null,
    pendingRequestId: finding.pendingRequestId,
    lastSeenAt: finding.lastSeenAt.toISOString(),
  };
}
