import { z } from "zod";
import { can, toAuditActor, type Actor } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record";
import type { Db, DbOrTx } from "@/lib/db/client";
import { forbidden } from "@/lib/errors";
import { toCsvRow } from "@/lib/inventory/csv";
import { campaignEvents, findCampaign, streamCampaignReviews, type Campaign } from "./queries";

// A campaign's report, as two CSV files (RFC 4180, the inventory export's cell
// rules): its reviews, one row each, and its own audit events. Two files rather
// than two sections in one, so each opens as a table in any spreadsheet and the
// evidence package can carry them as they are. Downloads are audited, as
// evidence package downloads are (lib/evidence/queries.ts).

export const REPORT_COLUMNS = [
  "identity",
  "environment",
  "owner",
  "ownerEmail",
  "team",
  "status",
  "outcome",
  "attestedBy",
  "attestedAt",
  "dueAt",
  "trigger",
  "identityId",
  "reviewId",
] as const;

export const EVENT_COLUMNS = ["seq", "occurredAt", "action", "actor", "actorType", "data", "hash"] as const;

export const REPORT_PARTS = ["reviews", "events"] as const;
export type ReportPart = (typeof REPORT_PARTS)[number];

export const reportQuery = z.object({
  part: z
    .enum(REPORT_PARTS, { message: `must be one of ${REPORT_PARTS.join(", ")}` })
    .default("reviews")
    .describe("reviews (default): one row per review; events: the campaign's audit events."),
});

/** The reviews as CSV; a review's status is as of the campaign's closing once it is closed. */
export async function campaignReportCsv(db: DbOrTx, campaign: Campaign, now = new Date()): Promise<string> {
  const lines = [toCsvRow(REPORT_COLUMNS)];
  for await (const row of streamCampaignReviews(db, campaign, now)) {
    lines.push(
      toCsvRow([
        row.identityName,
        row.environment,
        row.ownerLabel,
        row.ownerEmail,
        row.teamName,
        row.state,
        row.outcome,
        row.attestedBy,
        row.attestedAt,
        row.dueAt,
        row.trigger,
        row.identityId,
        row.id,
      ]),
    );
  }
  return lines.join("");
}

export async function campaignEventsCsv(db: DbOrTx, campaignId: string): Promise<string> {
  const events = await campaignEvents(db, campaignId);
  return [
    toCsvRow(EVENT_COLUMNS),
    ...events.map((event) =>
      toCsvRow([
        String(event.seq),
        event.occurredAt,
        event.action,
        event.actorLabel,
        event.actorType,
        JSON.stringify(event.data),
        event.hash,
      ]),
    ),
  ].join("");
}

/**
 * One part of the report for `actor`, after recording who downloaded it. The
 * reviews are for everyone who reads the inventory; the audit events for those
 * who read the audit log.
 */
export async function downloadCampaignReport(db: Db, actor: Actor, campaignId: string, part: ReportPart): Promise<Response> {
  if (!can(actor, "inventory:read")) throw forbidden("read review campaigns");
  if (part === "events" && !can(actor, "audit:read")) throw forbidden("read the audit log");
  const campaign = await findCampaign(db, campaignId);
  const body = part === "events" ? await campaignEventsCsv(db, campaign.id) : await campaignReportCsv(db, campaign);
  await db.$transaction((tx) =>
    recordAuditEvent(tx, toAuditActor(actor), {
      action: "campaign.report_downloaded",
      targetType: "campaign",
      targetId: campaign.id,
      data: { part },
    }),
  );
  const slug = campaign.name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "campaign";
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="warrant-campaign-${slug}-${part}.csv"`,
      "cache-control": "no-store",
    },
  });
}
