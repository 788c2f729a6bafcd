import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { createTestUser, refused } from "@/lib/testing/factories";
import { createSavedView, deleteSavedView, listSavedViews } from "./saved-views";

let member: Actor;
let otherMember: Actor;
let lead: Actor;
let admin: Actor;
let auditor: Actor;

beforeAll(async () => {
  member = (await createTestUser([])).actor;
  otherMember = (await createTestUser([])).actor;
  lead = (await createTestUser(["SECURITY_LEAD"])).actor;
  admin = (await createTestUser(["ADMIN"])).actor;
  auditor = (await createTestUser(["AUDITOR"])).actor;
});

const save = (actor: Actor, input: Record<string, unknown>) => executeMutation(createSavedView, actor, input);
const names = async (actor: Actor) => (await listSavedViews(prisma, actor)).map((view) => view.name);

describe("saving views", () => {
  it("keeps the query string without the page number, and audits it", async () => {
    const view = await save(member, { name: "Prod overdue", query: "?environment=PROD&reviewOverdue=1&page=4&sort=expiresAt" });
    expect(view).toMatchObject({ query: "environment=PROD&reviewOverdue=1&sort=expiresAt", shared: false });
    const event = await prisma.auditEvent.findFirst({ where: { action: "saved_view.created", targetId: view.id } });
    expect(event?.data).toMatchObject({ name: "Prod overdue", shared: false });
  });

  it("refuses a member who tries to share a view, naming the field, and saves nothing", async () => {
    const before = await prisma.savedView.count();
    const error = await refused(save(member, { name: "Everyone's", query: "status=ACTIVE", shared: "on" }));
    expect(error.status).toBe(403);
    expect(error.fields).toHaveProperty("shared");
    expect(await prisma.savedView.count()).toBe(before);
  });

  it("lets security leads and admins share views", async () => {
    expect((await save(lead, { name: "Leads: critical", query: "risk=CRITICAL", shared: "on" })).shared).toBe(true);
    expect((await save(admin, { name: "Admins: orphans", query: "orphaned=1", shared: true })).shared).toBe(true);
  });

  it("refuses a query the inventory would refuse, naming the bad filter", async () => {
    const error = await refused(save(member, { name: "Broken", query: "status=NOPE" }));
    expect(error.status).toBe(422);
    expect(error.fields?.query).toMatch(/^status/);
  });

  it("refuses a second view with the same name for the same person, but not for someone else", async () => {
    await save(otherMember, { name: "Mine", query: "kind=CI_BOT" });
    const error = await refused(save(otherMember, { name: "Mine", query: "kind=PLUGIN" }));
    expect(error.status).toBe(409);
    expect(error.fields).toHaveProperty("name");
    await expect(save(member, { name: "Mine", query: "kind=PLUGIN" })).resolves.toMatchObject({ name: "Mine" });
  });

  it("refuses auditors, who change nothing", async () => {
    expect((await refused(save(auditor, { name: "Audit", query: "" }))).status).toBe(403);
  });
});

describe("listing views", () => {
  it("shows a person their own views and shared ones, never someone else's private views", async () => {
    expect(await names(member)).toEqual(["Mine", "Prod overdue", "Admins: orphans", "Leads: critical"]);
    expect(await names(otherMember)).toEqual(["Mine", "Admins: orphans", "Leads: critical"]);
    expect(await names(auditor)).toEqual(["Admins: orphans", "Leads: critical"]);
  });

  it("says who may delete each view", async () => {
    const forMember = await listSavedViews(prisma, member);
    expect(forMember.find((view) => view.name === "Leads: critical")).toMatchObject({ deletable: false, mine: false, shared: true });
    expect(forMember.find((view) => view.name === "Mine")).toMatchObject({ deletable: true, mine: true });
    const forLead = await listSavedViews(prisma, lead);
    expect(forLead.find((view) => view.name === "Admins: orphans")).toMatchObject({ deletable: true, mine: false });
  });
});

describe("deleting views", () => {
  const viewId = async (name: string, ownerActor: Actor) =>
    (await prisma.savedView.findFirstOrThrow({ where: { name, ownerId: ownerActor.kind === "system" ? "" : ownerActor.userId } })).id;

  it("reports someone else's private view as missing and leaves it", async () => {
    const id = await viewId("Mine", otherMember);
    expect((await refused(executeMutation(deleteSavedView, member, { savedViewId: id }))).status).toBe(404);
    expect((await refused(executeMutation(deleteSavedView, lead, { savedViewId: id }))).status).toBe(404);
    expect(await prisma.savedView.findUnique({ where: { id } })).not.toBeNull();
  });

  it("refuses a member deleting a shared view", async () => {
    const id = await viewId("Leads: critical", lead);
    expect((await refused(executeMutation(deleteSavedView, member, { savedViewId: id }))).status).toBe(403);
    expect(await prisma.savedView.findUnique({ where: { id } })).not.toBeNull();
  });

  it("lets people delete their own views and security leads delete shared ones, with an audit event each", async () => {
    const own = await viewId("Mine", otherMember);
    await executeMutation(deleteSavedView, otherMember, { savedViewId: own });
    const shared = await viewId("Admins: orphans", admin);
    await executeMutation(deleteSavedView, lead, { savedViewId: shared });
    expect(await prisma.savedView.count({ where: { id: { in: [own, shared] } } })).toBe(0);
    expect(await prisma.auditEvent.count({ where: { action: "saved_view.deleted", targetId: { in: [own, shared] } } })).toBe(2);
    expect(await names(otherMember)).toEqual(["Leads: critical"]);
  });
});
