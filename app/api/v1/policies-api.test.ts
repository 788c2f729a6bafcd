import { beforeAll, describe, expect, it } from "vitest";
import { apiAs } from "@/lib/testing/api-client";
import { createTestToken, createTestUser } from "@/lib/testing/factories";

// Runtime policies over HTTP: read by everyone who may read the inventory,
// written by security leads with problems named by line and column, and
// activated only through an approval request.

let api: Record<"lead" | "secondLead" | "member" | "auditor", ReturnType<typeof apiAs>>;

beforeAll(async () => {
  const lead = await createTestUser(["SECURITY_LEAD"]);
  const secondLead = await createTestUser(["SECURITY_LEAD"]);
  const member = await createTestUser();
  const auditor = await createTestUser(["AUDITOR"]);
  api = {
    lead: apiAs(await createTestToken(lead.user.email)),
    secondLead: apiAs(await createTestToken(secondLead.user.email)),
    member: apiAs(await createTestToken(member.user.email)),
    auditor: apiAs(await createTestToken(auditor.user.email, ["READ"])),
  };
});

describe("/api/v1/policies", () => {
  it("lists the default version on a fresh install, readable by members and auditors", async () => {
    for (const reader of [api.member, api.auditor]) {
      const { status, body } = await reader.get("policies");
      expect(status).toBe(200);
      expect((body as { versions: { number: number; active: boolean }[] }).versions).toEqual([
        expect.objectContaining({ number: 1, active: true, note: "Warrant's default policies" }),
      ]);
    }
  });

  it("refuses a version with problems (422, line and column) and anyone but a security lead (403)", async () => {
    const broken = await api.lead.post("policies", { text: '@id("x")\nforbid (principal, action, resource) when { resource.colour };' });
    expect(broken.status).toBe(422);
    expect((broken.body as { error: { fields: Record<string, string> } }).error.fields.text).toMatch(/^line 2, column \d+: .*colour/);
    const denied = await api.member.post("policies", { text: '@id("all") permit (principal, action, resource);' });
    expect(denied.status).toBe(403);
  });

  it("stores a version (201), shows its text, and activates it through an approval request (202)", async () => {
    const text = '@id("all") permit (principal, action, resource);\n';
    const created = await api.lead.post("policies", { text, note: "Open everything for the test" });
    expect(created.status).toBe(201);
    const { id, number } = created.body as { id: string; number: number };
    const shown = await api.auditor.get("policies/[id]", { id });
    expect(shown.body).toMatchObject({ id, number, text, active: false, note: "Open everything for the test" });

    const withoutReason = await api.lead.post("policies/[id]/activate", {}, { id });
    expect(withoutReason.status).toBe(422);
    const asked = await api.lead.post("policies/[id]/activate", { justification: "Test of activation" }, { id });
    expect(asked.status).toBe(202);
    const requestId = (asked.body as { approvalRequest: { id: string } }).approvalRequest.id;
    expect((await api.secondLead.post("approval-requests/[id]/approve", {}, { id: requestId })).status).toBe(200);
    expect((await api.member.get("policies/[id]", { id })).body).toMatchObject({ active: true });

    const again = await api.lead.post("policies/[id]/activate", { justification: "Once more" }, { id });
    expect(again.status).toBe(409);
  });
});
