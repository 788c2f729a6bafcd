import { AUTONOMY_LABELS, ENVIRONMENT_LABELS, KIND_LABELS, PERMISSION_LABELS } from "@/lib/inventory/labels";
import type { TemplateRow } from "./templates";

// How a template reads to people: the table, its page and the registration form say the same.

export function grantsLabel(template: Pick<TemplateRow, "grants">): string {
  return template.grants.length === 0
    ? "None"
    : template.grants.map((grant) => `${PERMISSION_LABELS[grant.permission]} on ${grant.systemName ?? "a deleted system"}`).join(", ");
}

export function cadenceLabel(template: Pick<TemplateRow, "reviewCadenceDays">): string {
  return template.reviewCadenceDays === null ? "By risk tier" : `${template.reviewCadenceDays} days`;
}

/** "Coding agent in dev at suggest autonomy; access: Read on team-x-repos; reviewed every 90 days; expires after 180 days." */
export function describeTemplate(template: TemplateRow): string {
  const cadence =
    template.reviewCadenceDays === null ? "reviewed at its risk tier's cadence" : `reviewed every ${template.reviewCadenceDays} days`;
  return (
    `${KIND_LABELS[template.kind]} in ${ENVIRONMENT_LABELS[template.environment].toLowerCase()} at ${AUTONOMY_LABELS[template.autonomy].toLowerCase()} autonomy; ` +
    `access: ${grantsLabel(template)}; ${cadence}; expires after ${template.lifetimeDays} days.`
  );
}
