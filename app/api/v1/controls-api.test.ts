import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { apiAs } from "@/lib/testing/api-client";
import { createTestToken, createTestUser } from "@/lib/testing/factories";
import { newId } from "@/lib/db/ids";
import { DAY_MS } from "@/lib/time";

// The controls over HTTP: a security lead's token runs them; every role reads
// each control's status, measure and failing objects; an auditor's token may
// read but not run them.

let lead: ReturnType<typeof apiAs>;
let auditor: ReturnType<typeof apiAs>;
let identityId: string;

beforeAll(async () => {
  const leadUser = await createTestUser(["SECURITY_LEAD"]);
  lead = apiAs(await createTestToken(leadUser.user.email));
  auditor = apiAs(await createTestToken((await createTestUser(["AUDITOR"])).user.email, ["READ"]));
  // Owned by someone who has left: identity.owner and identity.no-orphans fail it.
  const leaver = await createTestUser([], { active: false });
  const identity = await prisma.aiIdentity.create({
    data: {
      name: `bot-${newId()}`,
      kind: "CI_BOT",
      purpose: "Publishes the nightly build artefacts",
      environment: "PROD",
      status: "ACTIVE",
      ownerId: leaver.user.id,
      orphanedAt: new Date(),
      expiresAt: new Date(Date.now() + 60 * DAY_MS),
      nextReviewAt: new Date(Date.now() + 30 * DAY_MS),
    },
  });
  identityId = identity.id;
});

describe("/api/v1/controls", () => {
  it("runs for a security lead, not for an auditor, and reports each control with its measure and failing objects", async () => {
    expect((await auditor.post("controls/runs", {})).status).toBe(403);
    const run = await lead.post("controls/runs", {});
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({
      runId: expect.any(String),
      newlyFailing: expect.arrayContaining(["identity.owner", "identity.no-orphans"]),
    });

    const { status, body } = await auditor.get("controls");
    expect(status).toBe(200);
    const { controls } = body as {
      controls: { key: string; latest: { status: string; measure: string } | null; mappings: { code: string; alias: string | null }[] }[];
    };
    expect(controls).toHaveLength(15);
    const owner = controls.find((control) => control.key === "identity.owner")!;
    expect(owner.latest).toMatchObject({
      status: "FAIL",
      measure: expect.stringMatching(/^\d+ of \d+ identities in service pass \(\d+ failing\)$/),
    });
    expect(owner.mappings).toContainEqual(expect.objectContaining({ code: "L6", alias: "GOV-01" }));

    const detail = await auditor.get("controls/[key]", { key: "identity.no-orphans" });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      failureCount: 1,
      failures: [
        expect.objectContaining({ objectType: "identity", objectId: identityId, detail: expect.stringMatching(/its owner left/) }),
      ],
    });
    expect((await auditor.get("controls/[key]", { key: "no.such-control" })).status).toBe(404);
  });
});
