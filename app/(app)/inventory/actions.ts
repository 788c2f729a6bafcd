"use server";

import { mutationAction } from "@/lib/auth/action";
import { bulkUpdateIdentities, type BulkAction } from "@/lib/inventory/bulk";
import { createSavedView, deleteSavedView } from "@/lib/inventory/saved-views";

const BULK_DONE: Record<BulkAction, { done: string; already: string }> = {
  assign_owner: { done: "Reassigned", already: "already had that owner" },
  suspend: { done: "Suspended", already: "already suspended" },
  open_review: { done: "Opened a review of", already: "already had an open review" },
};

export const bulkUpdateIdentitiesAction = mutationAction(bulkUpdateIdentities, {
  success: ({ action, changed, unchanged }) =>
    `${BULK_DONE[action].done} ${changed.length} ${changed.length === 1 ? "identity" : "identities"}` +
    (unchanged.length > 0 ? `; ${unchanged.length} ${BULK_DONE[action].already}.` : "."),
  revalidate: "/inventory",
});

export const createSavedViewAction = mutationAction(createSavedView, {
  success: (view) => `Saved the view ${view.name}${view.shared ? ", shared with everyone" : ""}.`,
  revalidate: "/inventory",
});

export const deleteSavedViewAction = mutationAction(deleteSavedView, {
  success: (view) => `Deleted the view ${view.name}.`,
  revalidate: "/inventory",
});
