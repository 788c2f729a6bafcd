import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createActiveTestIdentity, createTestUser } from "@/lib/testing/factories";
import { storeDecision, type DecisionRow } from "./decision-writer";
import { activePolicySet } from "./store";

// Decisions that arrive together are committed together; each caller is told
// only once its own decision is stored, and one that cannot be stored fails
// alone.

let row: DecisionRow;

beforeAll(async () => {
  const identity = await createActiveTestIdentity((await createTestUser()).user.id, { name: "writer-agent" });
  const policies = await activePolicySet(prisma);
  row = {
    identityId: identity.id,
    action: "call_tool",
    resourceType: "Tool",
    resourceId: "Bash",
    argumentsHash: "a".repeat(64),
    taskId: "T-1",
    taskIntent: "Fix the build",
    callId: null,
    outcome: "ALLOW",
    policyIds: ["baseline", "other"],
    reasons: ['Allowed, with a comma, and "quotes"'],
    policyVersionId: policies.key,
    credentialKind: "api_token",
    credentialId: "cred-1",
    humanApproved: false,
    approvalRequestId: null,
    latencyMicros: 812,
    cedarRequest: { principal: { type: "Identity", id: identity.id }, context: { nested: [1, { deep: true }] } },
    createdAt: new Date("2026-11-30T10:00:00.123Z"),
  };
});

describe("the decision writer", () => {
  it("stores each field as given", async () => {
    const id = await storeDecision(row);
    const stored = await prisma.policyDecision.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({ ...row, cedarRequest: row.cedarRequest });
    expect(id).toMatch(/^c[0-9a-z]{24}$/);
  });

  it("stores a burst, and fails only the decision that cannot be stored", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, index) =>
        storeDecision({ ...row, taskId: `burst-${index}`, identityId: index === 17 ? "no-such-identity" : row.identityId }),
      ),
    );
    expect(results.filter((result) => result.status === "rejected")).toHaveLength(1);
    expect(results[17]!.status).toBe("rejected");
    const ids = results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
    const stored = await prisma.policyDecision.findMany({ where: { id: { in: ids } }, select: { taskId: true } });
    expect(stored.map((decision) => decision.taskId).sort()).toEqual(
      Array.from({ length: 30 }, (_, index) => `burst-${index}`)
        .filter((_, index) => index !== 17)
        .sort(),
    );
  });
});
