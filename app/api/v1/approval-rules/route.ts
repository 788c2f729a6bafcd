import { apiQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { listApprovalSettings } from "@/lib/approvals/settings";

/** The approval rules and the catalog of sensitive changes, each with its rule. */
export const GET = apiQuery("inventory:read", async () => listApprovalSettings(prisma));
