import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { defineMutation } from "@/lib/auth/mutation";
import type { Db, Tx } from "@/lib/db/client";
import { AppError, toAppError } from "@/lib/errors";
import { applyReviewOpen } from "@/lib/reviews/reviews";
import { ALONGSIDE_FIELD_ERRORS, optionalDate, optionalText } from "@/lib/validation/inventory";
import { checkReviewDueDate } from "@/lib/validation/reviews";
import { assertMayManageIdentity, lockIdentity } from "./access";
import { applyIdentityTransition, applyIdentityUpdate } from "./identities";
import { inventoryOrderBy, inventoryRowSelect, type InventoryQuery } from "./query";

// Bulk actions on rows picked in the inventory table. Each one is all or
// nothing: it runs the same per-identity code as the single mutation, for
// every identity, in one transaction, so one refusal (an identity you may not
// manage, a deactivated new owner) leaves every selected identity unchanged.

export const MAX_BULK_IDENTITIES = 500;

const identityIds = z.preprocess(
  // A form sends one hidden input per selected row: one value arrives as a string, several as an array.
  (value) => (typeof value === "string" ? [value] : value),
  z
    .array(z.string().trim().min(1, { message: "must not be empty" }), { message: "must list the selected identities" })
    .min(1, { message: "select at least one identity" })
    .max(MAX_BULK_IDENTITIES, { message: `select at most ${MAX_BULK_IDENTITIES} identities at a time` })
    .transform((ids) => [...new Set(ids)]),
);

export const BULK_ACTIONS = ["assign_owner", "suspend", "open_review"] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export const bulkUpdateIdentitiesInput = z
  .object({
    action: z.enum(BULK_ACTIONS, { message: `must be one of ${BULK_ACTIONS.join(", ")}` }),
    identityIds,
    ownerId: z.preprocess((value) => (value === "" ? undefined : value), z.string().trim().min(1).optional()),
    reason: optionalText(500),
    /** For open_review: when the owners must attest by (default: DEFAULT_REVIEW_WINDOW_DAYS from now). */
    dueAt: optionalDate,
  })
  .superRefine((value, ctx) => {
    if (value.action === "assign_owner" && !value.ownerId)
      ctx.addIssue({ code: "custom", path: ["ownerId"], message: "is required to assign an owner" });
    if (value.action === "open_review") checkReviewDueDate(value.dueAt, ctx);
  }, ALONGSIDE_FIELD_ERRORS);

type BulkInput = z.output<typeof bulkUpdateIdentitiesInput>;

/** A refusal for one identity becomes the refusal of the whole action, saying which identity and that nothing changed. */
function refuseAll(error: unknown, label: string): never {
  const known = toAppError(error);
  if (!known) throw error;
  throw new AppError(known.code, `Nothing was changed. ${label}: ${known.message}`, {
    ...known.fields,
    identityIds: `${label}: ${known.message}`,
  });
}

/** Applies the action to one identity; returns its audit entries, none when it already was as asked. */
async function applyOne(tx: Tx, actor: Actor, input: BulkInput, identityId: string) {
  let label = `Identity ${identityId}`;
  try {
    const before = await lockIdentity(tx, identityId);
    label = before.name;
    if (input.action === "assign_owner") {
      assertMayManageIdentity(actor, before, "edit this identity");
      if (before.ownerId === input.ownerId) return { name: before.name, audits: [] };
      const updated = await applyIdentityUpdate(tx, actor, { identityId, ownerId: input.ownerId });
      // The new owner's handover review (lib/reviews/change.ts) is recorded with the reassignment.
      return { name: before.name, audits: [updated.audit, ...updated.followUps] };
    }
    if (input.action === "open_review") {
      const opened = await applyReviewOpen(tx, actor, { identityId, trigger: "MANUAL", dueAt: input.dueAt, reason: input.reason });
      return { name: before.name, audits: opened.audit ? [opened.audit] : [] };
    }
    assertMayManageIdentity(actor, before, "suspend this identity");
    if (before.status === "SUSPENDED") return { name: before.name, audits: [] };
    return {
      name: before.name,
      audits: [(await applyIdentityTransition(tx, actor, "suspend", { identityId, reason: input.reason })).audit],
    };
  } catch (error) {
    refuseAll(error, label);
  }
}

export const bulkUpdateIdentities = defineMutation({
  name: "identities.bulk-update",
  description: "change AI identities",
  permission: "inventory:write",
  input: bulkUpdateIdentitiesInput,
  async run({ tx, actor, audit }, input) {
    const changed: string[] = [];
    const unchanged: string[] = [];
    // A fixed lock order keeps two overlapping bulk actions from deadlocking.
    for (const identityId of [...input.identityIds].sort()) {
      const result = await applyOne(tx, actor, input, identityId);
      if (result.audits.length > 0) {
        // The same events the single mutation writes: the audit log reads the same however a change was made.
        for (const entry of result.audits) await audit(entry);
        changed.push(result.name);
      } else {
        unchanged.push(result.name);
      }
    }
    if (changed.length === 0) {
      const state = {
        assign_owner: "already have that owner",
        suspend: "are already suspended",
        open_review: "already have an open review",
      }[input.action];
      throw new AppError("conflict", `Nothing was changed: the selected identities ${state}.`);
    }
    return { action: input.action, changed, unchanged };
  },
});

/** The selected rows for "export selected", in the table's order; at most MAX_BULK_IDENTITIES. */
export async function findIdentitiesByIds(db: Db, ids: readonly string[], query: InventoryQuery) {
  if (ids.length > MAX_BULK_IDENTITIES) {
    throw new AppError("validation_failed", `Export at most ${MAX_BULK_IDENTITIES} selected identities at a time.`, {
      id: `at most ${MAX_BULK_IDENTITIES} ids`,
    });
  }
  return db.aiIdentity.findMany({ where: { id: { in: [...ids] } }, orderBy: inventoryOrderBy(query), select: inventoryRowSelect });
}
