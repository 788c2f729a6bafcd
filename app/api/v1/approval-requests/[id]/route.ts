import { apiQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { getApprovalRequest } from "@/lib/approvals/queries";

export const GET = apiQuery("inventory:read", async ({ actor, params }) => getApprovalRequest(prisma, actor, params.id!));
