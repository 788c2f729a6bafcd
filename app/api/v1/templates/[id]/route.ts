import { apiMutation, apiQuery, withPathParams } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { findTemplate, updateTemplate } from "@/lib/templates/templates";

export const GET = apiQuery("inventory:read", async ({ params }) => findTemplate(prisma, params.id ?? ""));

/** Security leads: each edit is a new version; `openReviews: true` sends its identities in service back for review. */
export const PATCH = apiMutation(updateTemplate, { input: withPathParams({ id: "templateId" }) });
