import { apiQuery } from "@/lib/api/handler";

/** Who the token belongs to and what it may do: a cheap way for a client to check its setup. */
export const GET = apiQuery("inventory:read", async ({ actor }) => actor);
