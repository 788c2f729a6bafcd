import { withApiHeaders } from "@/lib/api/handler";
import { openApiDocument } from "@/lib/api/openapi";

/** The API's description, generated from the schemas the handlers validate with. Public: it is documentation. */
export function GET(): Response {
  return withApiHeaders(Response.json(openApiDocument()));
}
