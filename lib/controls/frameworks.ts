import type { DbOrTx } from "@/lib/db/client";
import type { Requirement } from "@/lib/db/generated/client";
import { notFound } from "@/lib/errors";

// The frameworks Warrant's controls map to, as stored: the shipped catalogs
// (loaded by migrations from ./catalogs/frameworks.json) under their official
// IDs and titles. Read-only here.

export interface FrameworkSummary {
  id: string;
  name: string;
  version: string;
  source: string | null;
  builtIn: boolean;
  /** How many items of each kind it has ("function": 6, …; "item" where the framework has one level). */
  counts: Record<string, number>;
  requirements: number;
}

export interface RequirementView {
  id: string;
  code: string;
  kind: string | null;
  title: string;
  text: string | null;
  parentCode: string | null;
  altTitle: string | null;
  withdrawn: boolean;
  oscalId: string | null;
  note: string | null;
  /** 0 for a top-level item, 1 for its children, and so on. */
  depth: number;
}

export interface FrameworkView extends Omit<FrameworkSummary, "counts" | "requirements"> {
  notes: string | null;
  requirements: RequirementView[];
}

export async function listFrameworks(db: DbOrTx): Promise<FrameworkSummary[]> {
  const [frameworks, counts] = await Promise.all([
    db.framework.findMany({ orderBy: [{ position: "asc" }, { name: "asc" }] }),
    db.requirement.groupBy({ by: ["frameworkId", "kind"], _count: { _all: true }, _min: { position: true } }),
  ]);
  return frameworks.map((framework) => {
    // Kinds in the order the catalog first lists them: functions, then categories, then subcategories.
    const own = counts.filter((row) => row.frameworkId === framework.id).sort((a, b) => (a._min.position ?? 0) - (b._min.position ?? 0));
    return {
      id: framework.id,
      name: framework.name,
      version: framework.version,
      source: framework.source,
      builtIn: framework.builtIn,
      counts: Object.fromEntries(own.map((row) => [row.kind ?? "item", row._count._all])),
      requirements: own.reduce((sum, row) => sum + row._count._all, 0),
    };
  });
}

function view(requirement: Requirement): Omit<RequirementView, "depth"> {
  const { id, code, kind, title, text, parentCode, altTitle, withdrawn, oscalId, note } = requirement;
  return { id, code, kind, title, text, parentCode, altTitle, withdrawn, oscalId, note };
}

/**
 * One framework with its items as a tree: each item followed by the items
 * under it, siblings in published order (catalogs list each level in turn, so
 * their own order is functions, then categories, then subcategories).
 */
export async function getFramework(db: DbOrTx, id: string): Promise<FrameworkView> {
  const framework = await db.framework.findUnique({
    where: { id },
    include: { requirements: { orderBy: { position: "asc" } } },
  });
  if (!framework) throw notFound("That framework");
  const codes = new Set(framework.requirements.map((requirement) => requirement.code));
  const childrenOf = new Map<string | null, typeof framework.requirements>();
  for (const requirement of framework.requirements) {
    // An item whose parent is not in the framework is shown at the top level rather than lost.
    const parent = requirement.parentCode && codes.has(requirement.parentCode) ? requirement.parentCode : null;
    childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), requirement]);
  }
  const requirements: RequirementView[] = [];
  const visit = (parent: string | null, depth: number) => {
    for (const requirement of childrenOf.get(parent) ?? []) {
      requirements.push({ ...view(requirement), depth });
      visit(requirement.code, depth + 1);
    }
  };
  // Each item has one parent, so the walk from the top-level items ends; items in a parent cycle
  // (never in a shipped catalog: catalogs.test.ts) are not reached by it and follow at the top level.
  visit(null, 0);
  const shown = new Set(requirements.map((requirement) => requirement.id));
  for (const requirement of framework.requirements) {
    if (!shown.has(requirement.id)) requirements.push({ ...view(requirement), depth: 0 });
  }
  return {
    id: framework.id,
    name: framework.name,
    version: framework.version,
    source: framework.source,
    notes: framework.notes,
    builtIn: framework.builtIn,
    requirements,
  };
}
