"use server";

import { formDataToObject, mutationAction } from "@/lib/auth/action";
import { addControlException, mapControl, revokeControlException } from "@/lib/controls/exceptions";
import { addRequirement, importOscalFramework } from "@/lib/controls/framework-import";
import { runControls } from "@/lib/controls/run";
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

export const runControlsAction = mutationAction(runControls, {
  success: (summary) =>
    `Controls run: ${summary.passed} pass, ${summary.failed} fail, ${summary.notApplicable} not applicable${
      summary.newlyFailing.length > 0 ? `; newly failing: ${summary.newlyFailing.join(", ")}` : ""
    }.`,
  revalidate: "/controls",
});

/** The failing object comes as "<type>:<id>" from one select; the reason doubles as the approval request's justification. */
async function exceptionFromForm(formData: FormData): Promise<unknown> {
  const input = formDataToObject(formData);
  const object = typeof input.object === "string" ? input.object : "";
  const separator = object.indexOf(":");
  if (separator < 0) throw validationError({ object: "is required: choose a failing object" });
  return { ...input, objectType: object.slice(0, separator), objectId: object.slice(separator + 1), justification: input.reason };
}

export const addExceptionAction = mutationAction(addControlException, {
  success: (exception) => `Accepted ${exception.label} until ${exception.expiresAt.toISOString().slice(0, 10)}.`,
  revalidate: "/controls",
  input: exceptionFromForm,
});

export const revokeExceptionAction = mutationAction(revokeControlException, {
  success: (exception) => `Revoked the exception for ${exception.label}: it fails again from the next run.`,
  revalidate: "/controls",
});

export const mapControlAction = mutationAction(mapControl, {
  success: () => "Mapping added.",
  revalidate: "/controls",
});
