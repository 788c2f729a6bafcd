import { errorResponse } from "@/lib/api/handler";
import { getSessionActor } from "@/lib/auth/session";
import { downloadCampaignReport } from "@/lib/campaigns/report";
import { prisma } from "@/lib/db/client";
import { unauthenticated, validationError } from "@/lib/errors";
import { screenParameters } from "@/lib/validation/raw-input";

// The campaign's reviews as CSV for the signed-in browser (the API's report, for a session); audited.
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const actor = await getSessionActor();
    if (!actor) throw unauthenticated();
    const { id } = await params;
    // A NUL or an overlong id would reach the database as an error: a 422 naming it, as the API answers.
    const refused = screenParameters({ id });
    if (Object.keys(refused).length > 0) throw validationError(refused);
    return await downloadCampaignReport(prisma, actor, id, "reviews");
  } catch (error) {
    return errorResponse(error);
  }
}
