"use server";

import { mutationAction } from "@/lib/auth/action";
import { createSystem, updateSystem } from "@/lib/inventory/systems";

export const createSystemAction = mutationAction(createSystem, {
  success: (system) => `Registered ${system.name}.`,
  revalidate: "/inventory/systems",
});

export const updateSystemAction = mutationAction(updateSystem, {
  success: (system) => `Saved ${system.name}.`,
  revalidate: "/inventory/systems",
});
