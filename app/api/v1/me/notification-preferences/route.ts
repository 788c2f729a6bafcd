import { apiMutation, apiQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { forbidden } from "@/lib/errors";
import { actorUserId } from "@/lib/inventory/access";
import { preferencesOf, setNotificationPreferences } from "@/lib/lifecycle/preferences";

/** How the token's person receives each kind of lifecycle message: EMAIL, DIGEST or NONE. */
export const GET = apiQuery("inventory:read", async ({ actor }) => {
  const userId = actorUserId(actor);
  if (!userId) throw forbidden("read notification choices: only a person has them");
  return { preferences: await preferencesOf(prisma, userId) };
});

/** Changes some of them; kinds left out keep theirs. */
export const PATCH = apiMutation(setNotificationPreferences);
