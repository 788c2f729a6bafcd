"use server";

import { mutationAction } from "@/lib/auth/action";
import { updateLifecycleSettings } from "@/lib/lifecycle/settings";

export const updateLifecycleSettingsAction = mutationAction(updateLifecycleSettings, {
  success: () => "Saved. New values apply from the next review, reminder and re-rating.",
  revalidate: "/settings/lifecycle",
});
