import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { IdentityStatus } from "@/lib/db/generated/enums";
import { STATUS_LABELS } from "@/lib/inventory/labels";

const TONE: Record<IdentityStatus, BadgeTone> = {
  PROPOSED: "blue",
  ACTIVE: "green",
  SUSPENDED: "amber",
  EXPIRED: "red",
  REVOKED: "red",
  RETIRED: "neutral",
};

export function IdentityStatusBadge({ status }: { status: IdentityStatus }) {
  return <Badge tone={TONE[status]}>{STATUS_LABELS[status]}</Badge>;
}
