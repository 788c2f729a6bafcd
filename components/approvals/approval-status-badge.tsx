import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { ApprovalStatus } from "@/lib/db/generated/enums";
import { APPROVAL_STATUS_LABELS } from "@/lib/approvals/labels";

const TONES: Record<ApprovalStatus, BadgeTone> = {
  PENDING: "amber",
  APPLIED: "green",
  REJECTED: "red",
  EXPIRED: "neutral",
  WITHDRAWN: "neutral",
  FAILED: "red",
};

export function ApprovalStatusBadge({ status, breakGlass = false }: { status: ApprovalStatus; breakGlass?: boolean }) {
  return (
    <span className="inline-flex gap-1">
      <Badge tone={TONES[status]}>{APPROVAL_STATUS_LABELS[status]}</Badge>
      {breakGlass ? <Badge tone="red">Break-glass</Badge> : null}
    </span>
  );
}
