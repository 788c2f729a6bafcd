import { apiQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { findingDetail } from "@/lib/discovery/queries";

/** One finding with its evidence, proposal, recent scans of its repository and any pending registration. */
export const GET = apiQuery("inventory:read", async ({ actor, params }) => findingDetail(prisma, actor, params.id!));
