import { apiMutation, apiQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { createUser } from "@/lib/users/mutations";
import { listUsers } from "@/lib/users/queries";

export const GET = apiQuery("users:read", async () => ({ users: await listUsers(prisma) }));

export const POST = apiMutation(createUser, { status: 201 });
