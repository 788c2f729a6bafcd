import type { Actor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db/client";
import { replayPolicyVersion, REPLAY_MAX_DECISIONS } from "@/lib/policy/replay";
import { ReplayResultView } from "./replay-result";

// The replay reads its own rows, so a page can stream it behind a Suspense
// boundary: replaying 10,000 decisions takes seconds on a busy machine, and the
// rest of the page should not wait for it.

export function ReplayPending() {
  return (
    <p role="status" className="mb-6 text-sm text-slate-600">
      Replaying the recorded decisions…
    </p>
  );
}

export async function ReplaySection({
  actor,
  versionId,
  days,
  windowForm = true,
}: {
  actor: Actor;
  versionId: string;
  days?: number;
  windowForm?: boolean;
}) {
  const result = await replayPolicyVersion(prisma, actor, versionId, { days });
  return <ReplayResultView result={result} maxDecisions={REPLAY_MAX_DECISIONS} windowForm={windowForm} />;
}
