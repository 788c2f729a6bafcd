import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { runCli } from "@/lib/testing/cli";
import { createTestUser, refused } from "@/lib/testing/factories";
import { addRequirement, importOscalFramework } from "./framework-import";
import { getFramework } from "./frameworks";

// A security lead adds their organisation's own standard from an OSCAL
// catalog: every group and control becomes an item under its label, nested as
// in the document; a bad document is refused with the place of each problem,
// and nothing is stored.

const document = JSON.parse(readFileSync(path.join(__dirname, "fixtures", "acme-ai-standard.oscal.json"), "utf8")) as {
  catalog: Record<string, unknown>;
};
let lead: Awaited<ReturnType<typeof createTestUser>>;
let member: Awaited<ReturnType<typeof createTestUser>>;

beforeAll(async () => {
  lead = await createTestUser(["SECURITY_LEAD"]);
  member = await createTestUser();
});

describe("importing an OSCAL catalog as a framework", () => {
  it("keeps every group and control under its label, nested, with its statement, and audits it", async () => {
    const result = await executeMutation(importOscalFramework, lead.actor, document);
    expect(result).toEqual({ id: "acme-ai-standard", name: "ACME AI Standard", version: "1.2", requirements: 5 });
    const framework = await getFramework(prisma, "acme-ai-standard");
    expect(framework).toMatchObject({ builtIn: false, name: "ACME AI Standard", version: "1.2" });
    expect(framework.requirements.map(({ code, kind, depth, withdrawn }) => [code, kind, depth, withdrawn])).toEqual([
      ["agt", "group", 0, false],
      ["AGT-1", "control", 1, false],
      ["AGT-1(1)", "control", 2, false],
      ["AGT-2", "control", 1, true],
      ["run-1", "control", 0, false],
    ]);
    expect(framework.requirements[1]).toMatchObject({
      title: "Named owner",
      text: "Every AI agent identity has a named, active owner.\na. The owner attests every 90 days.",
      oscalId: "agt-1",
      parentCode: "agt",
    });
    expect(await prisma.auditEvent.findFirst({ where: { action: "framework.imported", targetId: "acme-ai-standard" } })).toMatchObject({
      actorId: lead.user.id,
      data: expect.objectContaining({ items: 5, format: "OSCAL catalog" }),
    });
  });

  it("refuses a key in use, a shipped framework's included, and changes nothing", async () => {
    for (const key of ["acme-ai-standard", "nist-csf-2.0"]) {
      const error = await refused(executeMutation(importOscalFramework, lead.actor, { ...document, key }));
      expect(error).toMatchObject({ status: 409, fields: { key: `${key} is already used` } });
    }
    expect(await prisma.requirement.count({ where: { frameworkId: "nist-csf-2.0" } })).toBe(134);
  });

  it("names each problem of a bad document by its place, and stores nothing", async () => {
    const catalog = structuredClone(document.catalog) as { metadata: Record<string, unknown>; groups: { controls: unknown[] }[] };
    delete catalog.metadata.version;
    catalog.groups[0]!.controls.push({ id: "agt-3", props: [{ name: "label", value: "AGT-1" }] });
    const error = await refused(executeMutation(importOscalFramework, lead.actor, { key: "broken-standard", catalog }));
    expect(error).toMatchObject({
      status: 422,
      fields: { "catalog.metadata.version": "is required", "catalog.groups.0.controls.2.title": "is required" },
    });
    const duplicate = structuredClone(document.catalog) as { groups: { controls: unknown[] }[] };
    duplicate.groups[0]!.controls.push({ id: "agt-3", title: "Again", props: [{ name: "label", value: "AGT-1" }] });
    expect(await refused(executeMutation(importOscalFramework, lead.actor, { key: "broken-standard", catalog: duplicate }))).toMatchObject({
      status: 422,
      fields: { "catalog.groups.0.controls.2": "uses AGT-1, which an earlier item of the catalog has" },
    });
    expect(
      (await refused(executeMutation(importOscalFramework, lead.actor, { key: "Not A Key", catalog: document.catalog }))).fields,
    ).toEqual({
      key: expect.stringMatching(/lowercase letters/),
    });
    expect(await prisma.framework.count({ where: { id: "broken-standard" } })).toBe(0);
  });

  it("works from the command line as a named security lead", async () => {
    const file = path.join(__dirname, "fixtures", "acme-ai-standard.oscal.json");
    const added = await runCli(["frameworks:import-oscal", "--file", file, "--as", lead.user.email, "--key", "acme-from-cli"]);
    expect(added).toMatchObject({ code: 0 });
    expect(added.output).toContain("Added ACME AI Standard 1.2 as acme-from-cli: 5 items.");
    const asMember = await runCli(["frameworks:import-oscal", "--file", file, "--as", member.user.email, "--key", "members-cli"]);
    expect(asMember.code).not.toBe(0);
    expect(await prisma.framework.count({ where: { id: "members-cli" } })).toBe(0);
  });

  it("takes a requirement added by hand, under an item of its own, and the shipped catalogs take none", async () => {
    const added = await executeMutation(addRequirement, lead.actor, {
      frameworkId: "acme-ai-standard",
      code: "AGT-3",
      title: "Agents never share a token",
      text: "Each agent identity has credentials of its own.",
      parentCode: "agt",
    });
    expect(added).toEqual({ frameworkId: "acme-ai-standard", code: "AGT-3", title: "Agents never share a token" });
    const tree = (await getFramework(prisma, "acme-ai-standard")).requirements.map(({ code, depth }) => [code, depth]);
    expect(tree).toEqual([
      ["agt", 0],
      ["AGT-1", 1],
      ["AGT-1(1)", 2],
      ["AGT-2", 1],
      ["AGT-3", 1],
      ["run-1", 0],
    ]);
    expect(await prisma.auditEvent.count({ where: { action: "framework.requirement_added", targetId: "acme-ai-standard" } })).toBe(1);
    const again = await refused(
      executeMutation(addRequirement, lead.actor, { frameworkId: "acme-ai-standard", code: "AGT-3", title: "Twice" }),
    );
    expect(again).toMatchObject({ status: 409, fields: { code: "is already used in this framework" } });
    const orphan = await refused(
      executeMutation(addRequirement, lead.actor, { frameworkId: "acme-ai-standard", code: "AGT-4", title: "Lost", parentCode: "nope" }),
    );
    expect(orphan).toMatchObject({ status: 422, fields: { parentCode: "must be an item of ACME AI Standard" } });
    const shipped = await refused(
      executeMutation(addRequirement, lead.actor, { frameworkId: "nist-csf-2.0", code: "GV.XX-01", title: "Ours" }),
    );
    expect(shipped.status).toBe(409);
    expect(await prisma.requirement.count({ where: { frameworkId: "nist-csf-2.0" } })).toBe(134);
    expect(
      (await refused(executeMutation(addRequirement, member.actor, { frameworkId: "acme-ai-standard", code: "M-1", title: "Mine" })))
        .status,
    ).toBe(403);
  });

  it("is for security leads only", async () => {
    expect((await refused(executeMutation(importOscalFramework, member.actor, { ...document, key: "members-standard" }))).status).toBe(403);
  });
});
