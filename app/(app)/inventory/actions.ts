"use server";

import { mutationAction } from "@/lib/auth/action";
import { bulkUpdateIdentities } from "@/lib/inventory/bulk";
import { createSavedView, deleteSavedView } from "@/lib/inventory/saved-views";

export const bulkUpdateIdentitiesAction = mutationAction(bulkUpdateIdentities, {
  success: ({ action, changed, unchanged }) =>
    `${action === "assign_owner" ? "Reassigned" : "Suspended"} ${changed.length} ${changed.length === 1 ? "identity" : "identities"}` +
    (unchanged.length > 0 ? `; ${unchanged.length} already ${action === "assign_owner" ? "had that owner" : "suspended"}.` : "."),
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
