import { apiMutation, apiQuery, withPathParams } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { updateIdentity } from "@/lib/inventory/identities";
import { loadIdentityDetail } from "@/lib/inventory/identity-detail";

/** What the identity page shows: owners, grants (with their systems), credentials, risk tier and reasons, timeline. */
export const GET = apiQuery("inventory:read", async ({ params }) => {
  const identity = await loadIdentityDetail(prisma, params.id ?? "");
  if (!identity) throw notFound("That identity");
  return identity;
});

/** Changes only the fields sent; the environment is fixed at registration. */
export const PATCH = apiMutation(updateIdentity, { input: withPathParams({ id: "identityId" }) });
