import { z } from "zod";
import { defineMutation } from "@/lib/auth/mutation";
import { actorUserId } from "@/lib/inventory/access";
import { AppError, validationError } from "@/lib/errors";
import { DAY_MS } from "@/lib/time";
import { wakeJob } from "@/lib/jobs/wake";

// Asking for an evidence package: a period, the frameworks its report and
// OSCAL results cover, and optionally one team. The request is a row the
// evidence.build job picks up (woken at once through NOTIFY, or by its
// one-minute schedule); what was exported, by whom and when is audited here
// and again when the package is downloaded.

/** A year and a bit: a package covers a quarter or a year, and its events stream whatever the length. */
const MAX_PERIOD_DAYS = 400;

export const requestPackageInput = z.object({
  from: z.coerce.date({ message: "must be a date" }),
  to: z.coerce.date({ message: "must be a date" }),
  frameworks: z
    .union([z.string(), z.array(z.string())], { message: "must list at least one framework" })
    .transform((value) => (Array.isArray(value) ? value : [value]))
    .pipe(z.array(z.string().trim().min(1)).min(1, { message: "must list at least one framework" }).max(20)),
  teamId: z
    .string()
    .trim()
    .optional()
    .transform((value) => value || undefined),
});

export const requestEvidencePackage = defineMutation({
  name: "evidence.request-package",
  description: "export evidence packages",
  permission: "evidence:export",
  auditorsMay: "an evidence package is an export: it changes nothing Warrant governs, and auditors are who it is for",
  input: requestPackageInput,
  async run({ tx, actor, audit }, input) {
    const requestedById = actorUserId(actor);
    if (!requestedById) throw new AppError("forbidden", "Evidence packages are asked for by a person.");
    if (input.to <= input.from) throw validationError({ to: "must be after the period's start" });
    if (input.from.getTime() > Date.now()) throw validationError({ from: "must not be in the future" });
    if (input.to.getTime() - input.from.getTime() > MAX_PERIOD_DAYS * DAY_MS) {
      throw validationError({ to: `must be at most ${MAX_PERIOD_DAYS} days after the start` });
    }
    const frameworks = await tx.framework.findMany({ where: { id: { in: input.frameworks } }, select: { id: true } });
    const unknown = input.frameworks.filter((id) => !frameworks.some((framework) => framework.id === id));
    if (unknown.length > 0) throw validationError({ frameworks: `has no framework ${unknown.join(", ")}` });
    if (input.teamId && !(await tx.team.findUnique({ where: { id: input.teamId }, select: { id: true } }))) {
      throw validationError({ teamId: "must be an existing team" });
    }
    const evidencePackage = await tx.evidencePackage.create({
      data: {
        periodFrom: input.from,
        periodTo: input.to,
        frameworks: [...new Set(input.frameworks)],
        teamId: input.teamId ?? null,
        requestedById,
      },
    });
    await audit({
      action: "evidence.package_requested",
      targetType: "evidence_package",
      targetId: evidencePackage.id,
      data: { from: input.from, to: input.to, frameworks: evidencePackage.frameworks, teamId: input.teamId ?? null },
    });
    await wakeJob(tx, "evidence.build");
    return evidencePackage;
  },
});
