import { apiMutation, apiQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { createTemplate, listTemplates } from "@/lib/templates/templates";

/** Every template, in use first, with its grants' systems and how many identities it made. */
export const GET = apiQuery("inventory:read", async () => ({ templates: await listTemplates(prisma) }));

export const POST = apiMutation(createTemplate, { status: 201 });
