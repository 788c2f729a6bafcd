import { errorResponse } from "@/lib/api/handler";
import { getSessionActor } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { unauthenticated } from "@/lib/errors";
import { downloadResponse, openPackageDownload } from "@/lib/evidence/queries";

// A finished evidence package for the signed-in browser (the API's download, for a session).
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const actor = await getSessionActor();
    if (!actor) throw unauthenticated();
    const { body, evidencePackage } = await openPackageDownload(prisma, actor, (await params).id);
    return downloadResponse(body, evidencePackage);
  } catch (error) {
    return errorResponse(error);
  }
}
