import { apiMutation, apiQuery } from "@/lib/api/handler";
import { importOscalFramework } from "@/lib/controls/framework-import";
import { listFrameworks } from "@/lib/controls/frameworks";
import { prisma } from "@/lib/db/client";

export const GET = apiQuery("controls:read", async () => ({ frameworks: await listFrameworks(prisma) }));

/** A framework of the organisation's own, from an OSCAL catalog document (its JSON, plus an optional `key`). */
export const POST = apiMutation(importOscalFramework, { status: 201 });
