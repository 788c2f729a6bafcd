import { z } from "zod";
import { can, type Actor } from "@/lib/auth/actor";
import type { Db } from "@/lib/db/client";
import { findAllInPages } from "@/lib/db/cursor-page";
import { forbidden, notFound } from "@/lib/errors";
import { DAY_MS } from "@/lib/time";
import { decisionItemsByIds, OUTCOME_FROM_DB, type DecisionListItem } from "./decisions";
import { compilePolicySet, evaluate, type CedarRequest, type Outcome } from "./engine";
import { activatePolicyVersion, activatePolicyVersionInput } from "./store";

// Replaying a policy version before it is enabled: the decisions recorded in
// the last N days are judged again, each with the Cedar request it was judged
// on then (the identity, system and context as they were), by the candidate
// version's policies. What would change is listed decision by decision. The
// newest REPLAY_MAX_DECISIONS are replayed, so a busy installation gets an
// answer in about a second (Cedar takes ~70 µs a request) and says when it
// stopped short.

export const REPLAY_DEFAULT_DAYS = 7;
export const REPLAY_MAX_DAYS = 90;
/** The newest this many decisions of the window are replayed. */
export const REPLAY_MAX_DECISIONS = 10_000;

export const replayQuery = z.object({
  days: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce
      .number({ message: "must be a number of days" })
      .int({ message: "must be a whole number of days" })
      .min(1, { message: "must be at least 1" })
      .max(REPLAY_MAX_DAYS, { message: `must be at most ${REPLAY_MAX_DAYS}` })
      .default(REPLAY_DEFAULT_DAYS),
  ),
});

export interface ReplayChange {
  decision: DecisionListItem;
  before: { outcome: Outcome; policyIds: string[] };
  after: { outcome: Outcome; policyIds: string[]; reasons: string[] };
}

export interface ReplayResult {
  version: { id: string; number: number };
  days: number;
  since: Date;
  until: Date;
  /** Decisions judged again. */
  replayed: number;
  /** Decisions in the window stored without their Cedar request (before it was kept), which cannot be judged again. */
  skipped: number;
  /** True when the window held more than REPLAY_MAX_DECISIONS and only the newest were replayed. */
  capped: boolean;
  changed: number;
  /** How many went from one outcome to another, e.g. "allow → deny": 3. */
  transitions: Record<string, number>;
  /** Every decision whose outcome would change, newest first. */
  changes: ReplayChange[];
}

const BATCH = 1000;

export async function replayPolicyVersion(
  db: Db,
  actor: Actor,
  versionId: string,
  /** `max` is for tests; callers replay at most REPLAY_MAX_DECISIONS. */
  options: { days?: number; max?: number } = {},
  now = new Date(),
): Promise<ReplayResult> {
  if (!can(actor, "policies:read")) throw forbidden("replay runtime policies");
  const version = await db.policyVersion.findUnique({ where: { id: versionId }, select: { id: true, number: true, text: true } });
  if (!version) throw notFound("That policy version");
  const candidate = compilePolicySet(version.id, version.text);
  const days = options.days ?? REPLAY_DEFAULT_DAYS;
  const since = new Date(now.getTime() - days * DAY_MS);
  const where = { createdAt: { gte: since, lte: now } };
  const max = Math.min(options.max ?? REPLAY_MAX_DECISIONS, REPLAY_MAX_DECISIONS);

  let seen = 0;
  let skipped = 0;
  let capped = false;
  const found: Omit<ReplayChange, "decision">[] = [];
  const changedIds: string[] = [];
  const pages = findAllInPages(BATCH, (args) =>
    db.policyDecision.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: args.take,
      ...(args.cursor ? { cursor: args.cursor } : {}),
      select: { id: true, outcome: true, policyIds: true, cedarRequest: true },
    }),
  );
  outer: for await (const rows of pages) {
    for (const row of rows) {
      if (seen === max) {
        capped = true;
        break outer;
      }
      seen += 1;
      if (row.cedarRequest === null) {
        skipped += 1;
        continue;
      }
      const after = evaluate(candidate, row.cedarRequest as unknown as CedarRequest);
      const before = OUTCOME_FROM_DB[row.outcome];
      if (after.outcome === before) continue;
      changedIds.push(row.id);
      found.push({ before: { outcome: before, policyIds: row.policyIds }, after });
    }
  }

  const items = new Map((await decisionItemsByIds(db, changedIds)).map((item) => [item.id, item]));
  const changes: ReplayChange[] = [];
  const transitions: Record<string, number> = {};
  changedIds.forEach((id, index) => {
    const decision = items.get(id);
    if (!decision) return;
    const change = found[index]!;
    const key = `${change.before.outcome} → ${change.after.outcome}`;
    transitions[key] = (transitions[key] ?? 0) + 1;
    changes.push({ decision, ...change });
  });
  return {
    version: { id: version.id, number: version.number },
    days,
    since,
    until: now,
    replayed: seen - skipped,
    skipped,
    capped,
    changed: changes.length,
    transitions,
    changes,
  };
}

/**
 * The version whose replay an approver of a pending activation should see:
 * what enabling it would change. Null for any other request, or when the
 * viewer may not read the policies.
 */
export async function versionToReplayFor(
  db: Db,
  actor: Actor,
  request: { mutation: string; status: string; input: unknown },
): Promise<string | null> {
  if (request.mutation !== activatePolicyVersion.name || request.status !== "PENDING" || !can(actor, "policies:read")) return null;
  const parsed = activatePolicyVersionInput.safeParse(request.input);
  if (!parsed.success) return null;
  const exists = await db.policyVersion.count({ where: { id: parsed.data.versionId } });
  return exists > 0 ? parsed.data.versionId : null;
}
