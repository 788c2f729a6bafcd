import { describe, expect, it } from "vitest";
import { assessRisk, type RiskInput } from "./risk";

const now = new Date("2026-11-25T12:00:00Z");
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);

function identity(overrides: Partial<RiskInput> = {}): RiskInput {
  return {
    status: "ACTIVE",
    environment: "DEV",
    autonomy: "SUGGEST",
    nextReviewAt: daysAgo(-30),
    grants: [],
    credentials: [],
    ...overrides,
  };
}

function grant(
  permission: RiskInput["grants"][number]["permission"],
  sensitivity: RiskInput["grants"][number]["system"]["sensitivity"],
  environment: RiskInput["grants"][number]["system"]["environment"] = "DEV",
  extra: Partial<RiskInput["grants"][number]> = {},
): RiskInput["grants"][number] {
  return {
    permission,
    mode: "STANDING",
    expiresAt: null,
    revokedAt: null,
    system: { name: `${environment.toLowerCase()}-${sensitivity.toLowerCase()}`, environment, sensitivity },
    ...extra,
  };
}

function credential(extra: Partial<RiskInput["credentials"][number]> = {}): RiskInput["credentials"][number] {
  return {
    type: "PAT",
    label: "pat",
    status: "ACTIVE",
    issuedAt: daysAgo(10),
    expiresAt: daysAgo(-20),
    lastUsedAt: daysAgo(1),
    lastRotatedAt: daysAgo(10),
    rotationPeriodDays: 90,
    ...extra,
  };
}

describe("assessRisk", () => {
  it("is LOW for an identity that can only read internal dev code", () => {
    expect(assessRisk(identity({ grants: [grant("READ", "INTERNAL")] }), now)).toEqual({ tier: "LOW", reasons: [] });
  });

  it("classifies by reach: deploy on a restricted production system is CRITICAL on its own", () => {
    const result = assessRisk(identity({ environment: "PROD", grants: [grant("DEPLOY", "RESTRICTED", "PROD")] }), now);
    expect(result.tier).toBe("CRITICAL");
    expect(result.reasons).toEqual(["deploy on prod-restricted (production, restricted)"]);
  });

  it("scores write on an internal dev repo MEDIUM and on a production one HIGH", () => {
    expect(assessRisk(identity({ grants: [grant("WRITE", "INTERNAL")] }), now).tier).toBe("MEDIUM");
    expect(assessRisk(identity({ environment: "PROD", grants: [grant("WRITE", "INTERNAL", "PROD")] }), now).tier).toBe("HIGH");
  });

  it("counts just-in-time grants one step lower than standing ones", () => {
    const jit = grant("WRITE", "CONFIDENTIAL", "DEV", { mode: "JUST_IN_TIME" });
    expect(assessRisk(identity({ grants: [jit] }), now).tier).toBe("MEDIUM");
    expect(assessRisk(identity({ grants: [grant("WRITE", "CONFIDENTIAL")] }), now).tier).toBe("HIGH");
  });

  it("ignores revoked and expired grants", () => {
    const gone = [
      grant("ADMIN", "RESTRICTED", "PROD", { revokedAt: daysAgo(1) }),
      grant("ADMIN", "RESTRICTED", "PROD", { expiresAt: daysAgo(1) }),
    ];
    expect(assessRisk(identity({ environment: "PROD", grants: gone }), now).tier).toBe("LOW");
  });

  it("escalates autonomy, and execute only when the identity can change things", () => {
    const reader = [grant("READ", "INTERNAL")];
    expect(assessRisk(identity({ autonomy: "AUTONOMOUS", grants: reader }), now)).toEqual({
      tier: "MEDIUM",
      reasons: ["autonomous: acts without a human in the loop"],
    });
    expect(assessRisk(identity({ autonomy: "EXECUTE", grants: reader }), now).tier).toBe("LOW");
    expect(assessRisk(identity({ autonomy: "EXECUTE", grants: [grant("WRITE", "INTERNAL")] }), now).tier).toBe("HIGH");
  });

  it("escalates a dev identity that reaches production", () => {
    const result = assessRisk(identity({ grants: [grant("READ", "PUBLIC", "PROD")] }), now);
    expect(result.reasons).toContain("dev identity reaches production system prod-public");
    expect(result.tier).toBe("MEDIUM");
  });

  it("names neglected credentials, and escalates once for all of them", () => {
    const old = credential({ issuedAt: daysAgo(400), lastRotatedAt: daysAgo(400), expiresAt: null });
    const idle = credential({ type: "API_KEY", lastUsedAt: daysAgo(200) });
    const result = assessRisk(identity({ grants: [grant("READ", "INTERNAL")], credentials: [old, idle] }), now);
    expect(result.tier).toBe("MEDIUM");
    expect(result.reasons).toEqual([
      "long-lived PAT 400 days old, no expiry",
      "PAT not rotated for 400 days (period 90)",
      "API key unused for 200 days",
    ]);
  });

  it("does not call short-lived credential types long-lived, and skips revoked credentials", () => {
    const jit = credential({ type: "JIT_TOKEN", expiresAt: null, rotationPeriodDays: null });
    const revoked = credential({ status: "REVOKED", issuedAt: daysAgo(900), expiresAt: null });
    expect(assessRisk(identity({ credentials: [jit, revoked] }), now)).toEqual({ tier: "LOW", reasons: [] });
  });

  it("escalates an overdue review, while the identity is in service", () => {
    const result = assessRisk(identity({ nextReviewAt: daysAgo(12) }), now);
    expect(result).toEqual({ tier: "MEDIUM", reasons: ["review overdue by 12 days"] });
    expect(assessRisk(identity({ nextReviewAt: daysAgo(12), status: "SUSPENDED" }), now).tier).toBe("MEDIUM");
    // Retired, expired or revoked: nobody reviews it any more, so its old review date is no risk.
    for (const status of ["RETIRED", "EXPIRED", "REVOKED"] as const) {
      expect(assessRisk(identity({ nextReviewAt: daysAgo(12), status }), now)).toEqual({ tier: "LOW", reasons: [] });
    }
  });

  it("counts a review as overdue from the moment its date passes, as the inventory's filter does", () => {
    const hourAgo = new Date(now.getTime() - 3_600_000);
    expect(assessRisk(identity({ nextReviewAt: hourAgo }), now)).toEqual({ tier: "MEDIUM", reasons: ["review overdue by 1 day"] });
  });

  it("stacks escalations up to CRITICAL", () => {
    const result = assessRisk(
      identity({
        environment: "PROD",
        autonomy: "EXECUTE",
        nextReviewAt: daysAgo(12),
        grants: [grant("WRITE", "CONFIDENTIAL", "PROD"), grant("DEPLOY", "RESTRICTED", "PROD")],
        credentials: [credential({ issuedAt: daysAgo(400), lastRotatedAt: daysAgo(400) })],
      }),
      now,
    );
    expect(result.tier).toBe("CRITICAL");
    expect(result.reasons.slice(0, 2)).toEqual([
      "deploy on prod-restricted (production, restricted)",
      "write on prod-confidential (production, confidential)",
    ]);
    expect(result.reasons).toContain("review overdue by 12 days");
  });
});
