import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { defineMutation } from "@/lib/auth/mutation";
import type { DbOrTx, Tx } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import { Prisma } from "@/lib/db/generated/client";
import { AppError, notFound, validationError } from "@/lib/errors";
import { actorUserId } from "@/lib/inventory/access";
import { LIVE_STATUSES } from "@/lib/inventory/lifecycle";
import { parseInventoryQuery } from "@/lib/inventory/query";
import { inventoryConditionsSql } from "@/lib/inventory/query-sql";
import { toSavedViewQuery } from "@/lib/inventory/saved-views";
import { ALONGSIDE_FIELD_ERRORS, isDate, requiredText } from "@/lib/validation/inventory";
import { checkReviewDueDate } from "@/lib/validation/reviews";
import { countByRecipient, dayOf, identities, notifyRecipients } from "./recipients";

// A review campaign: a security lead asks the owners of every identity in
// service that matches an inventory filter (a saved view, or the inventory's
// current filters) to attest by one date. Everything happens in one
// transaction and set-based, so 10,000 identities cost a handful of
// statements: identities with an open review join the campaign with it, the
// others get a new review (trigger CAMPAIGN) due on the campaign's date, and
// each owner gets one message however many of their identities it covers.

const emptyToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);

/** A day alone ("2027-03-31", as the CLI and a date input send it) means the end of that day, UTC. */
const dueDate = z.preprocess(
  (value) =>
    typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? `${value.trim()}T23:59:59.999Z` : emptyToUndefined(value),
  z.coerce.date({ message: "must be a date, e.g. 2027-03-31" }),
);

export const startCampaignInput = z
  .object({
    name: requiredText(120),
    message: requiredText(2000),
    dueAt: dueDate,
    /** The inventory's filters as its query string ("status=ACTIVE&teamId=…"); empty means every identity in service. */
    query: z
      .string({ message: "must be the inventory's query string" })
      .max(2000, { message: "must be at most 2000 characters" })
      .optional(),
    /** Or a saved view (one's own or a shared one) by id. */
    savedViewId: z.preprocess(emptyToUndefined, z.string().trim().min(1).max(200).optional()),
  })
  .superRefine((value, ctx) => {
    if (isDate(value.dueAt)) checkReviewDueDate(value.dueAt, ctx);
    if (value.query !== undefined && value.savedViewId !== undefined) {
      ctx.addIssue({ code: "custom", path: ["savedViewId"], message: "give either a saved view or a query, not both" });
    } else if (value.query === undefined && value.savedViewId === undefined) {
      ctx.addIssue({ code: "custom", path: ["query"], message: "is required: the inventory's filters (its query string) or a saved view" });
    }
  }, ALONGSIDE_FIELD_ERRORS);

export type StartCampaignInput = z.output<typeof startCampaignInput>;

interface Filter {
  /** As stored on the campaign: the query string without the page. */
  query: string;
  savedViewName: string | null;
  /** The input field a problem with the filter is reported on. */
  field: "query" | "savedViewId";
}

/** The saved view's or the given query, checked: a filter that does not parse is a 422 naming the parameter. */
async function resolveFilter(tx: DbOrTx, actor: Actor, input: StartCampaignInput): Promise<Filter> {
  let filter: Filter;
  if (input.savedViewId !== undefined) {
    const userId = actorUserId(actor);
    const view = await tx.savedView.findUnique({ where: { id: input.savedViewId } });
    // Someone else's private view is reported missing, as the inventory does.
    if (!view || (!view.shared && view.ownerId !== userId)) {
      throw new AppError("not_found", "That saved view was not found.", { savedViewId: "is not one of your views or a shared one" });
    }
    filter = { query: toSavedViewQuery(view.query), savedViewName: view.name, field: "savedViewId" };
  } else {
    filter = { query: toSavedViewQuery(input.query ?? ""), savedViewName: null, field: "query" };
  }
  try {
    parseInventoryQuery(new URLSearchParams(filter.query));
  } catch (error) {
    if (!(error instanceof AppError) || !error.fields) throw error;
    const detail = Object.entries(error.fields)
      .map(([parameter, message]) => `${parameter}: ${message}`)
      .join("; ");
    throw validationError({ [filter.field]: `the filter is not valid (${detail})` });
  }
  return filter;
}

/**
 * Locks every identity in service that matches, in id order (as the bulk
 * actions do, so overlapping changes queue instead of deadlocking). Once the
 * locks are held no review can be opened on them meanwhile: applyReviewOpen
 * takes the same lock first.
 */
async function lockSelection(tx: Tx, query: string, now: Date): Promise<string[]> {
  const conditions = inventoryConditionsSql(parseInventoryQuery(new URLSearchParams(query)), now);
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT i."id" FROM "AiIdentity" i
    WHERE ${conditions} AND i."status" = ANY(CAST(${LIVE_STATUSES} AS "IdentityStatus"[]))
    ORDER BY i."id" FOR UPDATE`;
  return rows.map((row) => row.id);
}

export interface CampaignStartResult {
  id: string;
  name: string;
  dueAt: Date;
  query: string;
  savedViewName: string | null;
  /** Identities in service the filter matched. */
  matched: number;
  /** New reviews opened by the campaign. */
  created: number;
  /** Open reviews that joined it as they were (their own due date kept). */
  joined: number;
  /** Identities whose open review already belongs to another campaign: it stays there and is not counted here. */
  inOtherCampaigns: number;
  /** People written to (owners, backup owners, security leads for orphans). */
  notified: number;
}

export const startCampaign = defineMutation({
  name: "campaigns.start",
  description: "start review campaigns",
  permission: "lifecycle:configure",
  input: startCampaignInput,
  // 10,000 identities are a few set-based statements; a whole 100,000-identity inventory is more.
  transactionTimeoutMs: 300_000,
  async run({ tx, actor, audit }, input): Promise<CampaignStartResult> {
    const createdById = actorUserId(actor);
    if (!createdById) throw new AppError("bad_request", "A campaign is started by a person (from the CLI: --as <email>).");
    const now = new Date();
    const filter = await resolveFilter(tx, actor, input);
    const identityIds = await lockSelection(tx, filter.query, now);
    if (identityIds.length === 0) {
      throw new AppError(
        "validation_failed",
        "Nothing to review: the filter matches no identity in service (proposed, active or suspended).",
        {
          [filter.field]: "matches no identity in service",
        },
      );
    }

    // Read after the locks are held, so a review opened meanwhile is seen.
    const open = await tx.$queryRaw<{ id: string; identityId: string; campaignId: string | null }[]>`
      SELECT "id", "identityId", "campaignId" FROM "Review" WHERE "status" = 'OPEN' AND "identityId" = ANY(${identityIds}::text[])`;
    const joining = open.filter((review) => review.campaignId === null).map((review) => review.id);
    const inOtherCampaigns = open.length - joining.length;
    const withOpenReview = new Set(open.map((review) => review.identityId));
    const reviewed = identityIds.filter((id) => !withOpenReview.has(id));
    if (joining.length + reviewed.length === 0) {
      throw new AppError(
        "conflict",
        `All ${identities(identityIds.length)} the filter matches already have an open review in another campaign; nothing would be added.`,
      );
    }

    const campaign = await tx.reviewCampaign.create({
      data: {
        name: input.name,
        message: input.message,
        query: filter.query,
        savedViewName: filter.savedViewName,
        dueAt: input.dueAt,
        identityCount: joining.length + reviewed.length,
        createdById,
        createdAt: now,
      },
    });
    if (joining.length > 0) {
      await tx.$executeRaw`UPDATE "Review" SET "campaignId" = ${campaign.id} WHERE "id" = ANY(${joining}::text[])`;
    }
    if (reviewed.length > 0) {
      const reviewIds = reviewed.map(() => newId());
      const reason = `Review campaign: ${input.name}`;
      await tx.$executeRaw`
        INSERT INTO "Review" ("id", "identityId", "status", "trigger", "reason", "openedById", "openedAt", "dueAt", "campaignId")
        SELECT n."id", n."identityId", 'OPEN', 'CAMPAIGN', ${reason}, ${createdById}, ${now}, ${input.dueAt}, ${campaign.id}
        FROM unnest(${reviewIds}::text[], ${reviewed}::text[]) AS n("id", "identityId")`;
      // As applyReviewOpen does: "review overdue" keeps reading the next review date, so it moves forward to
      // the due date. The due date is in the future, so no identity becomes overdue and no risk tier changes.
      await tx.$executeRaw`
        UPDATE "AiIdentity" SET "nextReviewAt" = ${input.dueAt}, "updatedAt" = ${now}
        WHERE "id" = ANY(${reviewed}::text[]) AND "nextReviewAt" > ${input.dueAt}`;
    }

    const due = dayOf(input.dueAt);
    const recipients = await countByRecipient(tx, Prisma.sql`r."campaignId" = ${campaign.id} AND r."status" = 'OPEN'`);
    const { people } = await notifyRecipients(tx, recipients, {
      event: "campaign.started",
      subject: (count, orphans) =>
        orphans
          ? `Review campaign ${input.name}: ${identities(count)} whose owner has left to review by ${due}`
          : `Review campaign ${input.name}: ${identities(count)} of yours to review by ${due}`,
      text: (count, orphans) =>
        [
          orphans
            ? `The review campaign "${input.name}" includes ${identities(count)} whose owner has left and that have no active backup owner. Reassign them or review them by ${due}.`
            : `The review campaign "${input.name}" asks you to review ${identities(count)} of yours by ${due}.`,
          "",
          input.message,
          "",
          "Your open reviews are under My tasks.",
        ].join("\n"),
      link: "/tasks",
      data: { campaignId: campaign.id, name: input.name, dueAt: input.dueAt.toISOString() },
    });

    const result: CampaignStartResult = {
      id: campaign.id,
      name: campaign.name,
      dueAt: campaign.dueAt,
      query: filter.query,
      savedViewName: filter.savedViewName,
      matched: identityIds.length,
      created: reviewed.length,
      joined: joining.length,
      inOtherCampaigns,
      notified: people,
    };
    // Counts and the filter, not ids: the campaign's reviews are its list, and an event stays small.
    await audit({
      action: "campaign.started",
      targetType: "campaign",
      targetId: campaign.id,
      data: {
        name: campaign.name,
        dueAt: campaign.dueAt.toISOString(),
        query: filter.query,
        savedViewName: filter.savedViewName ?? undefined,
        matched: result.matched,
        created: result.created,
        joined: result.joined,
        inOtherCampaigns,
        notified: people,
      },
    });
    return result;
  },
});

/** The campaign's row, for the mutations that act on one. Locked: a nudge or a close queues behind another. */
export async function lockCampaign(tx: Tx, campaignId: string) {
  const [row] = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "ReviewCampaign" WHERE "id" = ${campaignId} FOR UPDATE`;
  if (!row) throw notFound("That campaign");
  return tx.reviewCampaign.findUniqueOrThrow({ where: { id: campaignId } });
}

export interface CampaignPreview {
  query: string;
  savedViewId: string | null;
  savedViewName: string | null;
  /** Identities in service the filter matches now; null when the filter is not valid. */
  matches: number | null;
  /** Why the filter cannot be used, as the start would say it. */
  error: string | null;
}

/** What a campaign over this filter would cover, for the start form: read only, with the start's own checks. */
export async function previewCampaign(
  db: DbOrTx,
  actor: Actor,
  filter: { query?: string; savedViewId?: string },
  now = new Date(),
): Promise<CampaignPreview> {
  const input = { name: "-", message: "-", dueAt: now, ...filter } as StartCampaignInput;
  try {
    const resolved = await resolveFilter(db, actor, input);
    const conditions = inventoryConditionsSql(parseInventoryQuery(new URLSearchParams(resolved.query)), now);
    const [row] = await db.$queryRaw<{ count: number }[]>`
      SELECT count(*)::int AS "count" FROM "AiIdentity" i
      WHERE ${conditions} AND i."status" = ANY(CAST(${LIVE_STATUSES} AS "IdentityStatus"[]))`;
    return {
      query: resolved.query,
      savedViewId: filter.savedViewId ?? null,
      savedViewName: resolved.savedViewName,
      matches: row!.count,
      error: null,
    };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return {
      query: filter.query ?? "",
      savedViewId: filter.savedViewId ?? null,
      savedViewName: null,
      matches: null,
      error: Object.values(error.fields ?? {})[0] ?? error.message,
    };
  }
}
