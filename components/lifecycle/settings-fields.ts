import type { LifecycleSettings } from "@/lib/lifecycle/settings";

/** The lifecycle settings' fields as the settings page shows them: name, label, hint. */
export const LIFECYCLE_FIELDS: readonly [keyof LifecycleSettings, string, string][] = [
  ["escalationDays", "Escalate overdue reviews after (days)", "Security leads are told when a review is this many days overdue."],
  [
    "changeReviewDays",
    "Change reviews are due in (days)",
    "A review opened by a change (of the identity or its template) is due this many days later.",
  ],
  ["cadenceCriticalDays", "Critical: review every (days)", ""],
  ["cadenceHighDays", "High: review every (days)", ""],
  ["cadenceMediumDays", "Medium: review every (days)", ""],
  ["cadenceLowDays", "Low: review every (days)", ""],
];
