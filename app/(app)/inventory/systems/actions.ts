"use server";

import { mutationAction } from "@/lib/auth/action";
import { confirmSystemSensitivity, createSystem, updateSystem } from "@/lib/inventory/systems";

export const createSystemAction = mutationAction(createSystem, {
  success: (system) =>
    system.proposedSensitivity
      ? `Registered ${system.name}. It counts as restricted until a security lead confirms its sensitivity.`
      : `Registered ${system.name}.`,
  revalidate: "/inventory/systems",
});

export const updateSystemAction = mutationAction(updateSystem, {
  success: (system) => `Saved ${system.name}.`,
  revalidate: "/inventory/systems",
});

export const confirmSystemSensitivityAction = mutationAction(confirmSystemSensitivity, {
  success: (system) => `Confirmed ${system.name} as ${system.sensitivity.toLowerCase()}.`,
  revalidate: "/inventory/systems",
});
