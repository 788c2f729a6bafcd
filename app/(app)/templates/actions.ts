"use server";

import { formDataToObject, mutationAction } from "@/lib/auth/action";
import { archiveTemplate, createTemplate, updateTemplate } from "@/lib/templates/templates";

/** The form's grant rows (a system and a permission each, repeated) as the mutation's `grants`; empty rows are left out. */
async function templateFormInput(formData: FormData) {
  const fields = formDataToObject(formData);
  delete fields.grantSystemId;
  delete fields.grantPermission;
  const systems = formData.getAll("grantSystemId").map(String);
  const permissions = formData.getAll("grantPermission").map(String);
  const grants = systems.flatMap((systemId, index) => (systemId ? [{ systemId, permission: permissions[index] ?? "" }] : []));
  return { ...fields, grants };
}

export const createTemplateAction = mutationAction(createTemplate, {
  success: (template) => `Created template ${template.name}.`,
  revalidate: "/templates",
  input: templateFormInput,
});

export const updateTemplateAction = mutationAction(updateTemplate, {
  success: (template) =>
    `Saved ${template.name} as version ${template.version}.` +
    (template.reviewsOpened + template.alreadyUnderReview > 0
      ? ` Reviews opened: ${template.reviewsOpened}; already under review: ${template.alreadyUnderReview}.`
      : ""),
  revalidate: "/templates",
  input: templateFormInput,
});

export const archiveTemplateAction = mutationAction(archiveTemplate, {
  success: (template) => `Archived ${template.name}. Identities made from it stay as they are.`,
  revalidate: "/templates",
});
