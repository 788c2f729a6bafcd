import type { ActivityItem } from "./list";
import { ACTIVITY_FLAG_LABELS, ACTIVITY_KIND_LABELS } from "./labels";

// What the browser's tables need of an event: plain values, dates as ISO strings.

export interface ActivityTableRow {
  seq: string;
  occurredAt: string;
  identityId: string;
  identityName: string;
  kindLabel: string;
  /** The tool's name, or the action on a system. */
  what: string;
  systemName: string | null;
  result: string | null;
  decisionId: string | null;
  flags: { kind: string; label: string; reason: string }[];
}

export function toActivityTableRow(item: ActivityItem): ActivityTableRow {
  return {
    seq: item.seq,
    occurredAt: item.occurredAt.toISOString(),
    identityId: item.identityId,
    identityName: item.identityName,
    kindLabel: ACTIVITY_KIND_LABELS[item.kind],
    what: item.tool ?? item.action ?? "—",
    systemName: item.systemName,
    result: item.result,
    decisionId: item.decisionId,
    flags: item.flags.map((flag) => ({ kind: flag.kind, label: ACTIVITY_FLAG_LABELS[flag.kind], reason: flag.reason })),
  };
}
