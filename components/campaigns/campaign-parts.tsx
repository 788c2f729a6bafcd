import { Badge } from "@/components/ui/badge";
import type { Progress } from "@/lib/campaigns/queries";
import type { CampaignStatus } from "@/lib/db/generated/enums";

export function CampaignStatusBadge({ status }: { status: CampaignStatus }) {
  return status === "OPEN" ? <Badge tone="blue">Open</Badge> : <Badge>Closed</Badge>;
}

/** "3 of 10 attested" with a bar, and what is late. */
export function ProgressBar({ progress }: { progress: Progress }) {
  const { total, attested, overdue } = progress;
  return (
    <span className="flex items-center gap-2 text-xs whitespace-nowrap">
      <progress value={attested} max={Math.max(total, 1)} aria-label={`${attested} of ${total} attested`} className="h-2 w-24" />
      <span>
        {attested} of {total} attested
        {overdue > 0 ? <span className="text-red-700"> · {overdue} overdue</span> : null}
      </span>
    </span>
  );
}
