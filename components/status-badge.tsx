import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { IdentityStatus } from "@/lib/db/generated/enums";

const TONE: Record<IdentityStatus, BadgeTone> = {
  PROPOSED: "blue",
  ACTIVE: "green",
  SUSPENDED: "amber",
  EXPIRED: "red",
  REVOKED: "red",
  RETIRED: "neutral",
};

export function statusLabel(status: IdentityStatus): string {
  return status.charAt(0) + status.slice(1).toLowerCase();
}

export function IdentityStatusBadge({ status }: { status: IdentityStatus }) {
  return <Badge tone={TONE[status]}>{statusLabel(status)}</Badge>;
}
