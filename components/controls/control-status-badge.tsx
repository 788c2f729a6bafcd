import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { ControlStatus } from "@/lib/db/generated/enums";
import type { CoverageStatus } from "@/lib/controls/queries";

const TONE: Record<CoverageStatus, BadgeTone> = { PASS: "green", FAIL: "red", NOT_APPLICABLE: "neutral", GAP: "amber" };
export const CONTROL_STATUS_LABELS: Record<CoverageStatus, string> = {
  PASS: "Pass",
  FAIL: "Fail",
  NOT_APPLICABLE: "Not applicable",
  GAP: "No control",
};

/** A control's (or a requirement's) status; "Not run" before the first run. */
export function ControlStatusBadge({ status }: { status: ControlStatus | CoverageStatus | null }) {
  if (!status) return <Badge>Not run</Badge>;
  return <Badge tone={TONE[status]}>{CONTROL_STATUS_LABELS[status]}</Badge>;
}
