import { describe, expect, it } from "vitest";
import { currentLevel, isComplete, levelFor, levelsSchema, type RequestParties } from "./rules";

// Who may decide which level, from plain data.

const leadThenSystemOwner = levelsSchema.parse([
  { name: "Security lead", approvers: { kind: "role", role: "SECURITY_LEAD" }, required: 1 },
  { name: "System owner", approvers: { kind: "system_owner" }, required: 1 },
]);

function parties(overrides: Partial<RequestParties> = {}): RequestParties {
  return {
    requesterId: "requester",
    identityOwnerIds: ["owner"],
    systemOwnerIds: ["sys-owner"],
    inactiveApproverIds: [],
    levels: leadThenSystemOwner,
    decisions: [],
    ...overrides,
  };
}

const lead = { userId: "lead", roles: ["SECURITY_LEAD" as const] };

describe("approval levels", () => {
  it("are decided in order, one level per person", () => {
    expect(levelFor(lead, parties())).toEqual({ level: 0 });
    expect(levelFor({ userId: "sys-owner", roles: [] }, parties())).toEqual({ refused: expect.stringMatching(/waits for level 1/) });
    const afterLead = parties({ decisions: [{ level: 0, deciderId: "lead", verdict: "APPROVE" }] });
    expect(currentLevel(afterLead)).toBe(1);
    expect(levelFor({ userId: "sys-owner", roles: [] }, afterLead)).toEqual({ level: 1 });
    expect(levelFor(lead, afterLead)).toEqual({ refused: "You have already decided this request." });
  });

  it("are complete only when every level has its approvals", () => {
    expect(isComplete(parties({ decisions: [{ level: 0, deciderId: "lead", verdict: "APPROVE" }] }))).toBe(false);
    expect(
      isComplete(
        parties({
          decisions: [
            { level: 0, deciderId: "lead", verdict: "APPROVE" },
            { level: 1, deciderId: "sys-owner", verdict: "APPROVE" },
          ],
        }),
      ),
    ).toBe(true);
    const twoLeads = levelsSchema.parse([{ name: "Two leads", approvers: { kind: "role", role: "SECURITY_LEAD" }, required: 2 }]);
    expect(isComplete(parties({ levels: twoLeads, decisions: [{ level: 0, deciderId: "lead", verdict: "APPROVE" }] }))).toBe(false);
  });

  it("never let the requester decide, nor the identity's owner alone", () => {
    expect(levelFor({ userId: "requester", roles: ["SECURITY_LEAD"] }, parties())).toEqual({
      refused: "Nobody decides their own request.",
    });
    const oneLevel = levelsSchema.parse([{ name: "Lead", approvers: { kind: "role", role: "SECURITY_LEAD" }, required: 1 }]);
    expect(levelFor({ userId: "owner", roles: ["SECURITY_LEAD"] }, parties({ levels: oneLevel }))).toEqual({
      refused: expect.stringMatching(/owner cannot be the only approver/),
    });
    // With another level (someone else) the owner may take part.
    expect(levelFor({ userId: "owner", roles: ["SECURITY_LEAD"] }, parties())).toEqual({ level: 0 });
  });

  it("fall back to security leads for a system nobody owns, and name people and identity owners", () => {
    const afterLead = parties({ systemOwnerIds: [], decisions: [{ level: 0, deciderId: "lead", verdict: "APPROVE" }] });
    expect(levelFor({ userId: "other-lead", roles: ["SECURITY_LEAD"] }, afterLead)).toEqual({ level: 1 });
    // The requester owning the system is the same as nobody owning it: they never decide their own request.
    const ownRequest = parties({ systemOwnerIds: ["requester"], decisions: [{ level: 0, deciderId: "lead", verdict: "APPROVE" }] });
    expect(levelFor({ userId: "other-lead", roles: ["SECURITY_LEAD"] }, ownRequest)).toEqual({ level: 1 });
    const named = levelsSchema.parse([
      { name: "CISO", approvers: { kind: "user", userId: "ciso" }, required: 1 },
      { name: "Owner", approvers: { kind: "identity_owner" }, required: 1 },
    ]);
    expect(levelFor({ userId: "ciso", roles: [] }, parties({ levels: named }))).toEqual({ level: 0 });
    expect(levelFor({ userId: "lead", roles: ["SECURITY_LEAD"] }, parties({ levels: named }))).toEqual({
      refused: expect.stringMatching(/not yours/),
    });
  });

  it("fall back to security leads when the people a level names are deactivated", () => {
    const named = levelsSchema.parse([
      { name: "CISO", approvers: { kind: "user", userId: "ciso" }, required: 1 },
      { name: "Owner", approvers: { kind: "identity_owner" }, required: 1 },
    ]);
    // The CISO left: a security lead decides the first level in their place, and the CISO no longer would.
    const cisoGone = parties({ levels: named, inactiveApproverIds: ["ciso"] });
    expect(levelFor({ userId: "lead", roles: ["SECURITY_LEAD"] }, cisoGone)).toEqual({ level: 0 });
    expect(levelFor({ userId: "ciso", roles: [] }, cisoGone)).toEqual({ refused: expect.stringMatching(/not yours/) });
    // The identity's owners are gone too (partiesOf leaves deactivated people out): a lead decides the owners' level.
    const afterFirst = parties({
      levels: named,
      inactiveApproverIds: ["ciso"],
      identityOwnerIds: [],
      decisions: [{ level: 0, deciderId: "lead", verdict: "APPROVE" }],
    });
    expect(levelFor({ userId: "other-lead", roles: ["SECURITY_LEAD"] }, afterFirst)).toEqual({ level: 1 });
    expect(levelFor({ userId: "member", roles: [] }, afterFirst)).toEqual({ refused: expect.stringMatching(/not yours/) });
  });

  it("are validated: at least one level, each with a name and 1–5 approvals", () => {
    expect(levelsSchema.safeParse([]).success).toBe(false);
    const bad = levelsSchema.safeParse([{ name: "", approvers: { kind: "role", role: "AUDITOR" }, required: 0 }]);
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((issue) => issue.path.join("."))).toEqual(
      expect.arrayContaining(["0.name", "0.approvers.role", "0.required"]),
    );
  });
});
