// The kinds of lifecycle message Warrant sends, and which of them a person may
// choose to receive by email, in a daily digest or not at all. Escalations and
// suspensions always go out by email: they are how access nobody vouches for
// gets noticed, and muting them would defeat them.

export const NOTICE_KINDS = {
  "review.opened": { label: "A review of an identity you own or back up opens", optional: true },
  "review.reminder": { label: "Review reminders: 7 days before it is due, and on the due day", optional: true },
  "review.overdue": { label: "Overdue review reminders, every 3 days until it is attested or the identity is suspended", optional: true },
  "identity.expiring": { label: "Expiry warnings: 14, 7 and 1 days before an identity expires", optional: true },
  "identity.expired": { label: "An identity you own expired", optional: true },
  "credential.attention": { label: "Weekly: credentials past their rotation period or unused for 90 days", optional: true },
  "review.escalated": { label: "A review passed the escalation point (security leads)", optional: false },
  "identity.suspended": { label: "An identity was suspended because its review is overdue", optional: false },
} as const;

export type NoticeKind = keyof typeof NOTICE_KINDS;

export const NOTICE_KIND_KEYS = Object.keys(NOTICE_KINDS) as NoticeKind[];

/** The kinds a person may choose for; the others always go out by email. */
export const OPTIONAL_NOTICE_KINDS = NOTICE_KIND_KEYS.filter((kind) => NOTICE_KINDS[kind].optional);

export const DELIVERY_LABELS = { EMAIL: "Email", DIGEST: "Daily digest", NONE: "None" } as const;
