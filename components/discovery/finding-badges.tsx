import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { FindingSeverity, FindingStatus } from "@/lib/db/generated/enums";
import { FINDING_STATUS_LABELS, SEVERITY_LABELS } from "@/lib/discovery/labels";

const SEVERITY_TONES: Record<FindingSeverity, BadgeTone> = { LOW: "neutral", MEDIUM: "amber", HIGH: "red" };
const STATUS_TONES: Record<FindingStatus, BadgeTone> = { OPEN: "blue", REGISTERED: "green", LINKED: "green", DISMISSED: "neutral" };

export function SeverityBadge({ severity }: { severity: FindingSeverity }) {
  return <Badge tone={SEVERITY_TONES[severity]}>{SEVERITY_LABELS[severity]}</Badge>;
}

/** The decision, and the two flags a reader must not miss: the footprint is gone, or it reaches beyond the identity's grants. */
export function FindingStatusBadges({ status, gone, beyondGrants }: { status: FindingStatus; gone: boolean; beyondGrants: string[] }) {
  return (
    <span className="inline-flex flex-wrap gap-1">
      <Badge tone={STATUS_TONES[status]}>{FINDING_STATUS_LABELS[status]}</Badge>
      {gone ? <Badge tone="neutral">Gone</Badge> : null}
      {beyondGrants.length > 0 ? <Badge tone="red">Reach beyond grants: {beyondGrants.join(", ")}</Badge> : null}
    </span>
  );
}
