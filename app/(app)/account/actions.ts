"use server";

import { mutationAction } from "@/lib/auth/action";
import { setNotificationPreferences } from "@/lib/lifecycle/preferences";

export const setNotificationPreferencesAction = mutationAction(setNotificationPreferences, {
  success: () => "Saved.",
  revalidate: "/account",
});
