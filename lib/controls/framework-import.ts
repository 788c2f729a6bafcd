import { z } from "zod";
import { defineMutation } from "@/lib/auth/mutation";
import { AppError, fieldErrorsFromZod, validationError } from "@/lib/errors";
import { itemCode, itemTitle, oscalCatalogSchema, requirementsFromOscal } from "./oscal-catalog";

// A security lead brings a framework of their own (an internal standard, or
// a catalog Warrant does not ship) as an OSCAL catalog. It sits beside the
// shipped ones and never replaces one: a key in use is refused.

const frameworkKey = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9.-]{1,62}$/, { message: "must be 2–63 lowercase letters, digits, dots or dashes, e.g. acme-ai-standard-1" });

// The document is checked in full in run() (oscal-catalog.ts): its groups and controls nest to any
// depth, which the input's schema, also the API's documented body, leaves open.
export const importOscalFrameworkInput = z.object({
  /** The framework's key in Warrant; made from the catalog's title when not given. */
  key: frameworkKey.optional(),
  catalog: z.record(z.string(), z.unknown(), { message: 'is required: an OSCAL catalog document has a top-level "catalog"' }),
});

/** "ACME AI Standard 1.0" → "acme-ai-standard-1.0". */
function keyFromTitle(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, 63);
  return slug.length >= 2 ? slug : "framework";
}

export const importOscalFramework = defineMutation({
  name: "frameworks.import-oscal",
  description: "add frameworks",
  permission: "controls:manage",
  input: importOscalFrameworkInput,
  // A catalog's statements can be long.
  maxFieldChars: 20_000,
  async run({ tx, audit }, input) {
    const document = oscalCatalogSchema.safeParse({ catalog: input.catalog });
    if (!document.success) throw validationError(fieldErrorsFromZod(document.error));
    const { metadata } = document.data.catalog;
    const key = input.key ?? keyFromTitle(metadata.title);
    const read = requirementsFromOscal(document.data);
    if ("problems" in read) throw validationError(read.problems);
    if (await tx.framework.findUnique({ where: { id: key }, select: { id: true } })) {
      throw new AppError("conflict", `A framework with the key ${key} already exists: choose another key.`, {
        key: `${key} is already used`,
      });
    }
    const position = 1_000 + (await tx.framework.count());
    await tx.framework.create({ data: { id: key, name: metadata.title, version: metadata.version, builtIn: false, position } });
    await tx.requirement.createMany({
      data: read.requirements.map((requirement, index) => ({
        ...requirement,
        id: `${key}:${requirement.code}`,
        frameworkId: key,
        position: index,
      })),
    });
    await audit({
      action: "framework.imported",
      targetType: "framework",
      targetId: key,
      data: { name: metadata.title, version: metadata.version, format: "OSCAL catalog", items: read.requirements.length },
    });
    return { id: key, name: metadata.title, version: metadata.version, requirements: read.requirements.length };
  },
});

export const addRequirementInput = z.object({
  frameworkId: z.string({ message: "is required" }).trim().min(1, { message: "is required" }),
  code: itemCode,
  title: itemTitle,
  text: z
    .string()
    .trim()
    .max(4000, { message: "must be at most 4000 characters" })
    .optional()
    .transform((value) => value || undefined),
  parentCode: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((value) => value || undefined),
});

/**
 * One requirement added to a framework of the organisation's own (an internal
 * standard grows a rule). The shipped catalogs keep exactly their official
 * items, so they take none.
 */
export const addRequirement = defineMutation({
  name: "frameworks.add-requirement",
  description: "add requirements to frameworks",
  permission: "controls:manage",
  input: addRequirementInput,
  async run({ tx, audit }, input) {
    // Added one at a time: concurrent additions to one framework take their places in turn.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`warrant.framework:${input.frameworkId}`}))`;
    const framework = await tx.framework.findUnique({ where: { id: input.frameworkId }, select: { id: true, name: true, builtIn: true } });
    if (!framework) throw new AppError("not_found", "That framework does not exist.", { frameworkId: "must be an existing framework" });
    if (framework.builtIn) {
      throw new AppError(
        "conflict",
        `${framework.name} is a shipped catalog and keeps exactly its official items: add your own framework for your own requirements.`,
      );
    }
    const existing = await tx.requirement.findMany({ where: { frameworkId: framework.id }, select: { code: true, position: true } });
    if (existing.some((requirement) => requirement.code === input.code)) {
      throw new AppError("conflict", `${framework.name} already has ${input.code}.`, { code: "is already used in this framework" });
    }
    if (input.parentCode && !existing.some((requirement) => requirement.code === input.parentCode)) {
      throw validationError({ parentCode: `must be an item of ${framework.name}` });
    }
    const position = Math.max(-1, ...existing.map((requirement) => requirement.position)) + 1;
    const requirement = await tx.requirement.create({
      data: {
        id: `${framework.id}:${input.code}`,
        frameworkId: framework.id,
        code: input.code,
        kind: "requirement",
        title: input.title,
        text: input.text ?? null,
        parentCode: input.parentCode ?? null,
        position,
      },
    });
    await audit({
      action: "framework.requirement_added",
      targetType: "framework",
      targetId: framework.id,
      data: { code: requirement.code, title: requirement.title, parentCode: requirement.parentCode },
    });
    return { frameworkId: framework.id, code: requirement.code, title: requirement.title };
  },
});
