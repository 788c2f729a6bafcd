import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { RiskTier } from "@/lib/db/generated/enums";
import { RISK_LABELS } from "@/lib/inventory/labels";

const TONE: Record<RiskTier, BadgeTone> = { LOW: "neutral", MEDIUM: "blue", HIGH: "amber", CRITICAL: "red" };

export function RiskTierBadge({ tier }: { tier: RiskTier }) {
  return (
    <span data-testid="risk-tier">
      <Badge tone={TONE[tier]}>{RISK_LABELS[tier]} risk</Badge>
    </span>
  );
}
