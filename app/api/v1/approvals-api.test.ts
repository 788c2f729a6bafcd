import { beforeAll, describe, expect, it } from "vitest";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { createSystem } from "@/lib/inventory/systems";
import { apiAs, type ApiBody } from "@/lib/testing/api-client";
import { createTestToken, createTestUser, systemActor } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";

// Approvals over HTTP: a sensitive change answers 202 with the request, the
// right people approve it through the API, and the change appears once.

const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();

let api: Record<"owner" | "lead" | "systemOwner" | "auditor" | "admin", ReturnType<typeof apiAs>>;
let ownerId: string;
let systemId: string;
let counter = 0;

async function registerIdentity() {
  counter += 1;
  const { status, body } = await api.owner.post("identities", {
    name: `api-approval-${counter}`,
    kind: "CI_BOT",
    purpose: "Deploys tagged releases",
    environment: "PROD",
    ownerId,
    expiresAt: inDays(60),
  });
  expect(status).toBe(201);
  return body as { id: string; name: string };
}

beforeAll(async () => {
  const owner = await createTestUser();
  const lead = await createTestUser(["SECURITY_LEAD"]);
  const systemOwner = await createTestUser();
  const auditor = await createTestUser(["AUDITOR"]);
  const admin = await createTestUser(["ADMIN"]);
  ownerId = owner.user.id;
  systemId = (
    await executeMutation(createSystem, systemActor, {
      name: "release-target",
      kind: "DEPLOY_TARGET",
      environment: "PROD",
      sensitivity: "CONFIDENTIAL",
      ownerId: systemOwner.user.id,
    })
  ).id;
  api = {
    owner: apiAs(await createTestToken(owner.user.email)),
    lead: apiAs(await createTestToken(lead.user.email)),
    systemOwner: apiAs(await createTestToken(systemOwner.user.email)),
    auditor: apiAs(await createTestToken(auditor.user.email, ["READ"])),
    admin: apiAs(await createTestToken(admin.user.email)),
  };
});

describe("/api/v1/approval-requests", () => {
  it("answers a sensitive change 202 with the request, then applies it once both levels approve", async () => {
    const identity = await registerIdentity();
    const noReason = await api.owner.post("grants", { identityId: identity.id, systemId, permission: "DEPLOY" });
    expect(noReason.status).toBe(422);
    expect(noReason.body.error.fields.justification).toMatch(/is required/);

    const asked = await api.owner.post("grants", {
      identityId: identity.id,
      systemId,
      permission: "DEPLOY",
      justification: "Ships releases",
    });
    expect(asked.status).toBe(202);
    const request = asked.body.approvalRequest;
    expect(request).toMatchObject({ status: "PENDING", catalogKey: "grant.sensitive", rule: { key: "security-lead-and-system-owner" } });
    expect(request.link).toBe(`/approvals/${request.id}`);
    expect(await prisma.grant.count({ where: { identityId: identity.id } })).toBe(0);

    const waiting = await api.lead.get("approval-requests", undefined, "view=waiting");
    expect(waiting.status).toBe(200);
    expect(waiting.body.data.map((row: { id: string }) => row.id)).toContain(request.id);

    expect((await api.owner.post("approval-requests/[id]/approve", {}, { id: request.id })).status).toBe(403);
    const first = await api.lead.post("approval-requests/[id]/approve", { comment: "Fine" }, { id: request.id });
    expect(first).toMatchObject({ status: 200, body: { status: "PENDING" } });
    const second = await api.systemOwner.post("approval-requests/[id]/approve", {}, { id: request.id });
    expect(second).toMatchObject({ status: 200, body: { status: "APPLIED" } });
    expect(await prisma.grant.count({ where: { identityId: identity.id, permission: "DEPLOY" } })).toBe(1);

    const detail = await api.auditor.get("approval-requests/[id]", { id: request.id });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ status: "APPLIED", justification: "Ships releases", viewer: { mayDecide: false } });
    expect(detail.body.decisions).toHaveLength(2);
    expect((await api.auditor.post("approval-requests/[id]/approve", {}, { id: request.id })).status).toBe(403);
  });

  it("rejects with a comment, withdraws, and breaks glass for admins only", async () => {
    const identity = await registerIdentity();
    const ask = () => api.owner.post("grants", { identityId: identity.id, systemId, permission: "ADMIN", justification: "Rotate secrets" });
    const first = (await ask()).body.approvalRequest;
    expect((await ask()).status).toBe(409);
    const noComment = await api.lead.post("approval-requests/[id]/reject", {}, { id: first.id });
    expect(noComment.status).toBe(422);
    expect(noComment.body.error.fields.comment).toMatch(/required when rejecting/);
    expect((await api.lead.post("approval-requests/[id]/reject", { comment: "Too broad" }, { id: first.id })).body.status).toBe("REJECTED");

    const second = (await ask()).body.approvalRequest;
    expect((await api.lead.post("approval-requests/[id]/withdraw", {}, { id: second.id })).status).toBe(403);
    expect((await api.owner.post("approval-requests/[id]/withdraw", { reason: "Changed plan" }, { id: second.id })).body.status).toBe(
      "WITHDRAWN",
    );

    const third = (await ask()).body.approvalRequest;
    expect((await api.lead.post("approval-requests/[id]/break-glass", { reason: "Outage INC-1" }, { id: third.id })).status).toBe(403);
    const broken = await api.admin.post("approval-requests/[id]/break-glass", { reason: "Outage INC-1, paging" }, { id: third.id });
    expect(broken).toMatchObject({ status: 200, body: { status: "APPLIED", breakGlass: true } });

    const history = await api.auditor.get("approval-requests", undefined, "view=history");
    expect(history.body.data.map((row: { id: string; status: string }) => [row.id, row.status])).toEqual(
      expect.arrayContaining([
        [first.id, "REJECTED"],
        [second.id, "WITHDRAWN"],
        [third.id, "APPLIED"],
      ]),
    );
    expect((await api.owner.get("approval-requests", undefined, "view=all")).status).toBe(403);
    expect((await api.owner.get("approval-requests", undefined, "view=everything")).status).toBe(422);
  });

  it("filters, sorts and pages the list for existing and new clients alike", async () => {
    const identity = await registerIdentity();
    const ask = (permission: string) =>
      api.owner.post("grants", { identityId: identity.id, systemId, permission, justification: `Needs ${permission}` });
    const deploy = (await ask("DEPLOY")).body.approvalRequest;
    const admin = (await ask("ADMIN")).body.approvalRequest;
    const ids = (body: ApiBody) => (body.data as { id: string }[]).map((row) => row.id);

    const mine = await api.owner.get("approval-requests", undefined, `view=mine&q=${identity.name}`);
    expect(mine.status).toBe(200);
    expect(ids(mine.body)).toEqual([admin.id, deploy.id]);
    const oldestFirst = await api.owner.get("approval-requests", undefined, `view=mine&q=${identity.name}&sort=createdAt&dir=asc&limit=1`);
    expect(ids(oldestFirst.body)).toEqual([deploy.id]);
    const next = await api.owner.get(
      "approval-requests",
      undefined,
      `view=mine&q=${identity.name}&sort=createdAt&dir=asc&limit=1&cursor=${oldestFirst.body.nextCursor}`,
    );
    expect(next.body).toEqual({ data: [expect.objectContaining({ id: admin.id })], nextCursor: null });

    const byRule = await api.auditor.get("approval-requests", undefined, `view=all&rule=security-lead-and-system-owner&q=${identity.name}`);
    expect(ids(byRule.body)).toEqual([admin.id, deploy.id]);
    const otherKind = await api.auditor.get("approval-requests", undefined, `view=all&catalogKey=credential.long_lived&q=${identity.name}`);
    expect(ids(otherKind.body)).toEqual([]);
    const waiting = await api.lead.get("approval-requests", undefined, `q=${identity.name}`);
    expect(ids(waiting.body)).toEqual([deploy.id, admin.id]);

    const bad = await api.lead.get("approval-requests", undefined, "view=all&sort=name&catalogKey=everything");
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["catalogKey", "sort"]);
    const waitingSorted = await api.lead.get("approval-requests", undefined, "view=waiting&sort=expiresAt");
    expect(waitingSorted.status).toBe(422);
    expect(waitingSorted.body.error.fields.sort).toMatch(/oldest first/);
  });

  it("shows the rules and catalog, and treats changing them as a change that needs approval", async () => {
    const settings = await api.auditor.get("approval-rules");
    expect(settings.status).toBe(200);
    expect(settings.body.catalog.map((entry: { key: string }) => entry.key)).toEqual(
      expect.arrayContaining(["grant.sensitive", "credential.long_lived", "approvals.rules_changed"]),
    );
    const change = await api.lead.patch(
      "approval-rules/[key]",
      {
        name: "Two security leads",
        levels: [{ name: "Leads", approvers: { kind: "role", role: "SECURITY_LEAD" }, required: 2 }],
        expiryHours: 48,
        justification: "Tighten",
      },
      { key: "security-lead" },
    );
    expect(change.status).toBe(202);
    const bad = await api.lead.patch(
      "approval-rules/[key]",
      { name: "x", levels: [], expiryHours: 0, justification: "x" },
      { key: "security-lead" },
    );
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields)).toEqual(expect.arrayContaining(["levels", "expiryHours"]));
    expect(
      (await api.owner.patch("approval-catalog/[key]", { enabled: false, ruleKey: "security-lead" }, { key: "grant.sensitive" })).status,
    ).toBe(403);
  });
});
