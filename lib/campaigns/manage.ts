import { z } from "zod";
import { defineMutation } from "@/lib/auth/mutation";
import { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { actorUserId } from "@/lib/inventory/access";
import { DAY_MS } from "@/lib/time";
import { requiredId } from "@/lib/validation/inventory";
import { campaignProgress } from "./queries";
import { countByRecipient, dayOf, identities, notifyRecipients } from "./recipients";
import { lockCampaign } from "./start";

// What a security lead does with a running campaign: nudge the people who are
// late, and close it.

/** Nobody is reminded by the same campaign twice within this long. */
export const NUDGE_INTERVAL_MS = DAY_MS;

export const campaignIdInput = z.object({ campaignId: requiredId });

export const nudgeCampaign = defineMutation({
  name: "campaigns.nudge",
  description: "nudge review campaigns",
  permission: "lifecycle:configure",
  input: campaignIdInput,
  async run({ tx, audit }, { campaignId }) {
    const campaign = await lockCampaign(tx, campaignId);
    if (campaign.status !== "OPEN")
      throw new AppError("conflict", `The campaign ${campaign.name} is closed; closed campaigns are not nudged.`);
    const now = new Date();
    if (campaign.lastNudgedAt && now.getTime() - campaign.lastNudgedAt.getTime() < NUDGE_INTERVAL_MS) {
      const next = new Date(campaign.lastNudgedAt.getTime() + NUDGE_INTERVAL_MS);
      throw new AppError(
        "conflict",
        `Everyone late in ${campaign.name} was nudged at ${campaign.lastNudgedAt.toISOString()}; the next nudge is possible from ${next.toISOString()}, so nobody gets more than one a day.`,
      );
    }
    const late = await countByRecipient(tx, Prisma.sql`r."campaignId" = ${campaign.id} AND r."status" = 'OPEN' AND r."dueAt" < ${now}`);
    if (late.length === 0) throw new AppError("conflict", `Nobody is late in ${campaign.name}: no review of it is overdue.`);
    const overdue = late.reduce((sum, entry) => sum + entry.reviews, 0);
    const { people, orphanReviews } = await notifyRecipients(tx, late, {
      event: "campaign.nudged",
      subject: (count, orphans) =>
        orphans
          ? `Overdue in review campaign ${campaign.name}: ${identities(count)} whose owner has left`
          : `Overdue in review campaign ${campaign.name}: ${identities(count)} of yours still to review`,
      text: (count, orphans) =>
        [
          orphans
            ? `${identities(count)} in the review campaign "${campaign.name}" have no owner or active backup owner and their reviews are overdue. Reassign them or review them.`
            : `Your reviews of ${identities(count)} in the review campaign "${campaign.name}" are overdue (the campaign was due ${dayOf(campaign.dueAt)}).`,
          "",
          campaign.message,
          "",
          "Your open reviews are under My tasks.",
        ].join("\n"),
      link: "/tasks",
      data: { campaignId: campaign.id, name: campaign.name, dueAt: campaign.dueAt.toISOString() },
    });
    await tx.reviewCampaign.update({ where: { id: campaign.id }, data: { lastNudgedAt: now } });
    const result = {
      id: campaign.id,
      name: campaign.name,
      overdueReviews: overdue,
      recipients: late.length,
      notified: people,
      orphanReviews,
    };
    await audit({
      action: "campaign.nudged",
      targetType: "campaign",
      targetId: campaign.id,
      data: { overdueReviews: overdue, recipients: late.length, notified: people, orphanReviews },
    });
    return result;
  },
});

/**
 * Closing ends the campaign, not its reviews: an open review is still owed and
 * stays on its owner's list. The campaign's progress is frozen as it stood at
 * closing (see campaignProgress), so its report says what the campaign achieved.
 */
export const closeCampaign = defineMutation({
  name: "campaigns.close",
  description: "close review campaigns",
  permission: "lifecycle:configure",
  input: campaignIdInput,
  async run({ tx, actor, audit }, { campaignId }) {
    const campaign = await lockCampaign(tx, campaignId);
    if (campaign.status !== "OPEN") throw new AppError("conflict", `The campaign ${campaign.name} is already closed.`);
    const now = new Date();
    const closed = await tx.reviewCampaign.update({
      where: { id: campaign.id },
      data: { status: "CLOSED", closedAt: now, closedById: actorUserId(actor) ?? null },
    });
    const progress = await campaignProgress(tx, closed);
    await audit({ action: "campaign.closed", targetType: "campaign", targetId: campaign.id, data: { name: campaign.name, progress } });
    return { ...closed, progress };
  },
});
