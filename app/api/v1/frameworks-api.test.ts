import { beforeAll, describe, expect, it } from "vitest";
import { apiAs } from "@/lib/testing/api-client";
import { createTestToken, createTestUser } from "@/lib/testing/factories";

// The framework catalogs over HTTP: readable by every person's token (an
// auditor's read-only one included), one framework with its items in order.

let member: ReturnType<typeof apiAs>;
let auditor: ReturnType<typeof apiAs>;

beforeAll(async () => {
  member = apiAs(await createTestToken((await createTestUser()).user.email));
  auditor = apiAs(await createTestToken((await createTestUser(["AUDITOR"])).user.email, ["READ"]));
});

describe("/api/v1/frameworks", () => {
  it("lists the shipped frameworks with their item counts, for members and auditors", async () => {
    for (const reader of [member, auditor]) {
      const { status, body } = await reader.get("frameworks");
      expect(status).toBe(200);
      const { frameworks } = body as { frameworks: { id: string; builtIn: boolean; requirements: number }[] };
      expect(frameworks.map((framework) => framework.id)).toEqual([
        "nist-csf-2.0",
        "nist-ai-rmf-1.0",
        "owasp-agentic-top10-2026",
        "owasp-agentic-threats-mitigations",
        "owasp-nhi-top10-2025",
        "csa-maestro",
        "nist-sp-800-53-r5",
      ]);
      expect(frameworks.find((framework) => framework.id === "nist-csf-2.0")).toMatchObject({ builtIn: true, requirements: 134 });
    }
  });

  it("gives one framework's items as a tree in published order, and 404 for one it does not have", async () => {
    const { status, body } = await auditor.get("frameworks/[id]", { id: "owasp-agentic-top10-2026" });
    expect(status).toBe(200);
    const framework = body as { name: string; requirements: { code: string; title: string; altTitle: string | null; depth: number }[] };
    expect(framework.name).toBe("OWASP Top 10 for Agentic Applications 2026");
    expect(framework.requirements.map((requirement) => requirement.code)).toEqual(
      Array.from({ length: 10 }, (_, index) => `ASI${String(index + 1).padStart(2, "0")}`),
    );
    expect(framework.requirements[1]).toMatchObject({
      title: "Tool Misuse and Exploitation",
      altTitle: "Tool Misuse & Exploitation",
      depth: 0,
    });
    expect((await auditor.get("frameworks/[id]", { id: "no-such-framework" })).status).toBe(404);
  });
});
