import { Badge, type BadgeTone } from "@/components/ui/badge";
import { OUTCOME_LABELS } from "@/lib/policy/decision-labels";
import type { Outcome } from "@/lib/policy/engine";

const TONES: Record<Outcome, BadgeTone> = { allow: "green", deny: "red", require_approval: "amber" };

export function DecisionOutcomeBadge({ outcome }: { outcome: Outcome }) {
  return <Badge tone={TONES[outcome]}>{OUTCOME_LABELS[outcome]}</Badge>;
}
