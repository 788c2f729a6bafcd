import { errorResponse } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";

// Any path under /api/ that no route handles (more specific routes, such as
// /api/v1/*, /api/auth/* and /api/health, always win over this catch-all):
// machine clients get the JSON error shape, not Next's HTML 404 page.

function answerNotFound(request: Request): Response {
  const path = new URL(request.url).pathname;
  return errorResponse(new AppError("not_found", `There is no API endpoint at ${path}. The API is described at /api/v1/openapi.json.`));
}

export const GET = answerNotFound;
export const HEAD = answerNotFound;
export const POST = answerNotFound;
export const PUT = answerNotFound;
export const PATCH = answerNotFound;
export const DELETE = answerNotFound;
export const OPTIONS = answerNotFound;
