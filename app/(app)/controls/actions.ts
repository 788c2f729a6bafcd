"use server";

import { mutationAction } from "@/lib/auth/action";
import { addRequirement, importOscalFramework } from "@/lib/controls/framework-import";
import { validationError } from "@/lib/errors";

/** An OSCAL catalog uploaded as a file: its JSON is the mutation's input, with the key typed beside it. */
async function catalogFromUpload(formData: FormData): Promise<unknown> {
  const file = formData.get("file");
  if (!(file instanceof File) || file.size === 0) throw validationError({ file: "is required: choose the catalog's JSON file" });
  let document: unknown;
  try {
    document = JSON.parse(await file.text());
  } catch {
    throw validationError({ file: "is not JSON: an OSCAL catalog in its JSON form is expected" });
  }
  const key = formData.get("key");
  return { ...(document as Record<string, unknown>), ...(typeof key === "string" && key.trim() ? { key } : {}) };
}

export const importFrameworkAction = mutationAction(importOscalFramework, {
  success: (framework) => `Added ${framework.name} ${framework.version} as ${framework.id}: ${framework.requirements} items.`,
  revalidate: "/controls",
  input: catalogFromUpload,
});

export const addRequirementAction = mutationAction(addRequirement, {
  success: (requirement) => `Added ${requirement.code}: ${requirement.title}.`,
  revalidate: "/controls",
});
