import { apiMutation, withPathParams } from "@/lib/api/handler";
import { updateCatalogEntry } from "@/lib/approvals/settings";

export const PATCH = apiMutation(updateCatalogEntry, { input: withPathParams({ key: "key" }) });
