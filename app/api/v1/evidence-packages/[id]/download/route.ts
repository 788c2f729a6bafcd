import { apiQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { downloadResponse, openPackageDownload } from "@/lib/evidence/queries";

/** The package's zip; the download is audited. 409 until the package is READY. */
export const GET = apiQuery("evidence:export", async ({ actor, params }) => {
  const { body, evidencePackage } = await openPackageDownload(prisma, actor, params.id!);
  return downloadResponse(body, evidencePackage);
});
