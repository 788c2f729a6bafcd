import { apiMutation, apiQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { lifecycleSettings, updateLifecycleSettings } from "@/lib/lifecycle/settings";

export const GET = apiQuery("inventory:read", async () => lifecycleSettings(prisma));

/** The settings are one document: every field is sent each time. */
export const PUT = apiMutation(updateLifecycleSettings);
