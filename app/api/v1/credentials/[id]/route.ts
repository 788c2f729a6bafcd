import { apiQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { notFound } from "@/lib/errors";

export const GET = apiQuery("inventory:read", async ({ params }) => {
  const credential = await prisma.credential.findUnique({
    where: { id: params.id },
    include: { identity: { select: { id: true, name: true, environment: true, status: true } } },
  });
  if (!credential) throw notFound("That credential");
  return credential;
});
