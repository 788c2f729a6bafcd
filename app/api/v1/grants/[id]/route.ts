import { apiQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { notFound } from "@/lib/errors";

export const GET = apiQuery("inventory:read", async ({ params }) => {
  const grant = await prisma.grant.findUnique({
    where: { id: params.id },
    include: { system: true, identity: { select: { id: true, name: true, environment: true, status: true } } },
  });
  if (!grant) throw notFound("That grant");
  return grant;
});
