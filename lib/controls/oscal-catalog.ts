import { z } from "zod";

// An OSCAL catalog (JSON, OSCAL 1.x: `{ "catalog": { metadata, groups, controls } }`)
// read as a framework: every group and control becomes one item, under the
// control's label where it has one ("AC-2(3)") or else its id, nested as the
// catalog nests them, with its statement's prose as the item's text. Only
// what Warrant keeps is read; anything else in the document is ignored.

const MAX_ITEMS = 5_000;

/** An item's ID and title, as a catalog gives them and as a security lead types them (framework-import.ts). */
export const itemCode = z
  .string({ message: "is required" })
  .trim()
  .min(1, { message: "is required" })
  .max(100, { message: "must be at most 100 characters" });
export const itemTitle = z
  .string({ message: "is required" })
  .trim()
  .min(1, { message: "is required" })
  .max(500, { message: "must be at most 500 characters" });

const prop = z.object({ name: z.string(), value: z.string() });
type Part = { name?: string; prose?: string; parts?: Part[] };
const part: z.ZodType<Part> = z.lazy(() =>
  z.object({ name: z.string().optional(), prose: z.string().optional(), parts: z.array(part).optional() }),
);
type Control = { id: string; title: string; class?: string; props?: z.infer<typeof prop>[]; parts?: Part[]; controls?: Control[] };
const control: z.ZodType<Control> = z.lazy(() =>
  z.object({
    id: itemCode,
    title: itemTitle,
    class: z.string().optional(),
    props: z.array(prop).optional(),
    parts: z.array(part).optional(),
    controls: z.array(control).optional(),
  }),
);
type Group = {
  id?: string;
  title: string;
  class?: string;
  props?: z.infer<typeof prop>[];
  parts?: Part[];
  groups?: Group[];
  controls?: Control[];
};
const group: z.ZodType<Group> = z.lazy(() =>
  z.object({
    id: z.string().trim().min(1).max(100, { message: "must be at most 100 characters" }).optional(),
    title: itemTitle,
    class: z.string().optional(),
    props: z.array(prop).optional(),
    parts: z.array(part).optional(),
    groups: z.array(group).optional(),
    controls: z.array(control).optional(),
  }),
);

export const oscalCatalogSchema = z.object(
  {
    catalog: z.object(
      {
        metadata: z.object(
          {
            title: z.string({ message: "is required" }).trim().min(1, { message: "is required" }).max(300),
            version: z.string({ message: "is required" }).trim().min(1, { message: "is required" }).max(100),
          },
          { message: "is required" },
        ),
        groups: z.array(group).optional(),
        controls: z.array(control).optional(),
      },
      { message: 'is required: an OSCAL catalog document has a top-level "catalog"' },
    ),
  },
  { message: "must be an OSCAL catalog (JSON)" },
);

export type OscalCatalog = z.infer<typeof oscalCatalogSchema>;

export interface CatalogRequirement {
  code: string;
  kind: string;
  title: string;
  text: string | null;
  parentCode: string | null;
  withdrawn: boolean;
  oscalId: string | null;
}

const propValue = (props: Control["props"], name: string) => props?.find((entry) => entry.name === name)?.value;

/** A statement's prose with its sub-parts', in order ("a. …\nb. …"), as one text. */
function statementText(parts: Part[] | undefined): string | null {
  const statement = parts?.find((entry) => entry.name === "statement");
  if (!statement) return null;
  const lines: string[] = [];
  const walk = (entry: Part) => {
    if (entry.prose?.trim()) lines.push(entry.prose.trim());
    for (const child of entry.parts ?? []) walk(child);
  };
  walk(statement);
  return lines.length > 0 ? lines.join("\n").slice(0, 4000) : null;
}

/**
 * The catalog's items in document order (each followed by the items under it),
 * or the problems, each named by its place in the document
 * ("catalog.groups.0.controls.3: uses the label AC-2, which an earlier item has").
 */
export function requirementsFromOscal(
  catalog: OscalCatalog,
): { requirements: CatalogRequirement[] } | { problems: Record<string, string> } {
  const requirements: CatalogRequirement[] = [];
  const problems: Record<string, string> = {};
  const seen = new Set<string>();
  const add = (item: Group | Control, kind: string, parentCode: string | null, at: string): string | null => {
    const code = (propValue(item.props, "label") ?? item.id ?? "").trim();
    if (!code) {
      problems[at] = "has neither a label nor an id to list it under";
      return null;
    }
    if (seen.has(code)) {
      problems[at] = `uses ${code}, which an earlier item of the catalog has`;
      return null;
    }
    seen.add(code);
    requirements.push({
      code,
      kind,
      title: item.title,
      text: statementText(item.parts),
      parentCode,
      withdrawn: propValue(item.props, "status") === "withdrawn",
      oscalId: item.id ?? null,
    });
    return code;
  };
  const walkControls = (controls: Control[] | undefined, parentCode: string | null, at: string) =>
    controls?.forEach((entry, index) => {
      const code = add(entry, "control", parentCode, `${at}.controls.${index}`);
      walkControls(entry.controls, code, `${at}.controls.${index}`);
    });
  const walkGroups = (groups: Group[] | undefined, parentCode: string | null, at: string) =>
    groups?.forEach((entry, index) => {
      const code = add(entry, "group", parentCode, `${at}.groups.${index}`);
      walkGroups(entry.groups, code, `${at}.groups.${index}`);
      walkControls(entry.controls, code, `${at}.groups.${index}`);
    });
  walkGroups(catalog.catalog.groups, null, "catalog");
  walkControls(catalog.catalog.controls, null, "catalog");
  if (requirements.length === 0 && Object.keys(problems).length === 0) problems.catalog = "has no groups or controls";
  if (requirements.length > MAX_ITEMS) problems.catalog = `has ${requirements.length} items; at most ${MAX_ITEMS} are taken`;
  return Object.keys(problems).length > 0 ? { problems } : { requirements };
}
