import "server-only";
import { notFound } from "next/navigation";
import { screenParameters } from "./raw-input";

/**
 * For pages: the route's dynamic segments, or a 404 when one cannot name a
 * record. A NUL (which PostgreSQL refuses in text) or an overlong id would
 * otherwise reach the database and come back as a 500. Same rule as the API's
 * path parameters (lib/api/handler.ts), which answer such ids with a 422.
 */
export async function readPageParams<T extends Record<string, string | string[] | undefined>>(params: Promise<T>): Promise<T> {
  const values = await params;
  if (Object.keys(screenParameters(values)).length > 0) notFound();
  return values;
}
