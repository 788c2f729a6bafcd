import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { getFramework, listFrameworks } from "./frameworks";

// The catalogs a fresh database gets from its migrations must be the shipped
// file, item for item: official IDs and titles exactly, nothing invented.

interface CatalogItem {
  id: string;
  kind?: string;
  title: string;
  text?: string;
  parent: string | null;
  alt_title?: string;
  oscal_id?: string;
  status?: string;
  note?: string;
}
interface CatalogFile {
  frameworks: { id: string; name: string; version: string; source?: string; items: CatalogItem[] }[];
}

const shipped = JSON.parse(readFileSync(path.join(__dirname, "catalogs", "frameworks.json"), "utf8")) as CatalogFile;

describe("the shipped framework catalogs", () => {
  it("are in every fresh database exactly as in the file, in published order", async () => {
    const frameworks = await prisma.framework.findMany({ where: { builtIn: true }, orderBy: { position: "asc" } });
    expect(frameworks.map(({ id, name, version, source }) => ({ id, name, version, source }))).toEqual(
      shipped.frameworks.map(({ id, name, version, source }) => ({ id, name, version, source: source ?? null })),
    );
    for (const framework of shipped.frameworks) {
      const rows = await prisma.requirement.findMany({ where: { frameworkId: framework.id }, orderBy: { position: "asc" } });
      expect(
        rows.map(({ code, kind, title, text, parentCode, altTitle, oscalId, withdrawn }) => ({
          code,
          kind,
          title,
          text,
          parentCode,
          altTitle,
          oscalId,
          withdrawn,
        })),
        framework.id,
      ).toEqual(
        framework.items.map((item) => ({
          code: item.id,
          kind: item.kind ?? null,
          title: item.title,
          text: item.text ?? null,
          parentCode: item.parent,
          altTitle: item.alt_title ?? null,
          oscalId: item.oscal_id ?? null,
          withdrawn: item.status?.startsWith("withdrawn") ?? false,
        })),
      );
    }
  });

  it("count what their publishers count, and keep official IDs and titles", async () => {
    const counts = Object.fromEntries((await listFrameworks(prisma)).map((framework) => [framework.id, framework.counts]));
    expect(counts["nist-csf-2.0"]).toEqual({ function: 6, category: 22, subcategory: 106 });
    expect(counts["nist-ai-rmf-1.0"]).toEqual({ function: 4, category: 19, subcategory: 72 });
    expect(counts["owasp-agentic-top10-2026"]).toEqual({ item: 10 });
    expect(counts["owasp-agentic-threats-mitigations"]).toEqual({ item: 17 });
    expect(counts["owasp-nhi-top10-2025"]).toEqual({ item: 10 });
    expect(counts["csa-maestro"]).toEqual({ item: 7 });
    const title = async (frameworkId: string, code: string) =>
      (await prisma.requirement.findUniqueOrThrow({ where: { frameworkId_code: { frameworkId, code } } })).title;
    expect(await title("owasp-agentic-top10-2026", "ASI01")).toBe("Agent Goal Hijack");
    expect(await title("owasp-nhi-top10-2025", "NHI1:2025")).toBe("Improper Offboarding");
    expect(await title("csa-maestro", "L1")).toBe("Foundation Models");
    expect(await title("nist-csf-2.0", "GV")).toBe("GOVERN");
    expect(
      await prisma.requirement.findUniqueOrThrow({ where: { frameworkId_code: { frameworkId: "nist-sp-800-53-r5", code: "AC-2(10)" } } }),
    ).toMatchObject({ withdrawn: true, oscalId: "ac-2.10", parentCode: "AC-2" });
  });

  it("nest each item under a parent of its own framework", async () => {
    for (const { id } of shipped.frameworks) {
      const framework = await getFramework(prisma, id);
      const codes = new Set(framework.requirements.map((requirement) => requirement.code));
      for (const requirement of framework.requirements) {
        if (requirement.parentCode) expect(codes.has(requirement.parentCode), `${id} ${requirement.code}`).toBe(true);
        expect(requirement.depth, `${id} ${requirement.code}`).toBe(
          requirement.parentCode ? 1 + depthOf(framework.requirements, requirement.parentCode) : 0,
        );
      }
    }
    // Shown as a tree: each function, then its first category, then that category's subcategories.
    const csf = await getFramework(prisma, "nist-csf-2.0");
    expect(csf.requirements.slice(0, 4).map((requirement) => [requirement.code, requirement.depth])).toEqual([
      ["GV", 0],
      ["GV.OC", 1],
      ["GV.OC-01", 2],
      ["GV.OC-02", 2],
    ]);
    expect(csf.requirements).toHaveLength(134);
  });
});

function depthOf(requirements: { code: string; parentCode: string | null }[], code: string): number {
  const parent = requirements.find((requirement) => requirement.code === code)?.parentCode;
  return parent ? 1 + depthOf(requirements, parent) : 0;
}
