import type { Actor } from "../lib/auth/actor";
import { executeMutation } from "../lib/auth/mutation";
import { startCampaign } from "../lib/campaigns/start";
import type { Db } from "../lib/db/client";
import { IdentityKind } from "../lib/db/generated/enums";
import { DAY_MS } from "../lib/time";

// Part of `npm run bench` (--only campaigns): a security lead starts a review
// campaign over about 10,000 of the bench's 100,000 identities (one kind of
// tool: ~14,300 identities, ~11,400 of them in service), as the campaign form
// and the API do, through executeMutation. Each run takes the next kind, so
// runs side by side never overlap, and each start runs in full and is then
// rolled back (the API's ?dryRun=1): the bench database keeps no campaign, so
// every run, and every later bench, starts from the same inventory. A rollback
// skips only the commit itself.

export interface CampaignsBenchResult {
  seconds: number;
  query: string;
  matched: number;
  created: number;
  joined: number;
  inOtherCampaigns: number;
  notified: number;
}

export async function benchCampaignStart(db: Db, lead: Actor, run: number): Promise<CampaignsBenchResult> {
  const kinds = Object.values(IdentityKind);
  const query = `kind=${kinds[(run - 1) % kinds.length]}`;
  const started = performance.now();
  const result = await executeMutation(
    startCampaign,
    lead,
    { name: `Bench campaign ${run}`, message: "Scale test.", dueAt: new Date(Date.now() + 14 * DAY_MS).toISOString(), query },
    db,
    { dryRun: true },
  );
  return {
    seconds: (performance.now() - started) / 1000,
    query,
    matched: result.matched,
    created: result.created,
    joined: result.joined,
    inOtherCampaigns: result.inOtherCampaigns,
    notified: result.notified,
  };
}

export function printCampaignsBench(result: CampaignsBenchResult): void {
  console.log(
    `\nStarting a campaign over ${result.query} (one transaction, rolled back): ${result.seconds.toFixed(2)} s — ${result.matched} identities in service matched, ${result.created} reviews opened, ${result.joined} joined, ${result.inOtherCampaigns} in other campaigns, ${result.notified} people told`,
  );
}
