import { apiMutation, apiQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { listPackages } from "@/lib/evidence/queries";
import { requestEvidencePackage } from "@/lib/evidence/requests";

export const GET = apiQuery("evidence:export", async () => ({ packages: await listPackages(prisma) }));

/** Auditors and security leads: ask for a package; poll GET /evidence-packages/{id} until it is READY. */
export const POST = apiMutation(requestEvidencePackage, { status: 202 });
