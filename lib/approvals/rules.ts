import { z } from "zod";
import type { Role } from "@/lib/db/generated/enums";

// An approval rule is a list of levels, and every level must approve (the
// "a security lead AND the owner of the production system" case). Each level
// says who may decide for it and how many approvals it needs. This file is
// pure: who may decide, and whether a request is complete, from plain data.

export const approverSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("role"), role: z.enum(["SECURITY_LEAD", "ADMIN", "APPROVER"]) }),
  z.object({ kind: z.literal("user"), userId: z.string().min(1, { message: "must name a person" }) }),
  /** The owner or backup owner of the system the change is about (a grant's system). */
  z.object({ kind: z.literal("system_owner") }),
  /** The owner or backup owner of the identity the change is about; never enough alone (see mayDecide). */
  z.object({ kind: z.literal("identity_owner") }),
]);

export const levelSchema = z.object({
  name: z.string().trim().min(1, { message: "must not be empty" }).max(80, { message: "must be at most 80 characters" }),
  approvers: approverSchema,
  required: z
    .number()
    .int({ message: "must be a whole number" })
    .min(1, { message: "must be at least 1" })
    .max(5, { message: "must be at most 5" }),
});

export const levelsSchema = z
  .array(levelSchema)
  .min(1, { message: "must have at least one level" })
  .max(5, { message: "must have at most five levels" });

export type Approver = z.infer<typeof approverSchema>;
export type ApprovalLevel = z.infer<typeof levelSchema>;

/** The people a request is about, as far as levels need them. */
export interface RequestParties {
  requesterId: string;
  /** The identity's owner and backup owner who are active (a deactivated person decides nothing). */
  identityOwnerIds: string[];
  /** The system's owner and backup owner who are active. */
  systemOwnerIds: string[];
  /** People a level names by id who are deactivated: their level falls back to security leads. */
  inactiveApproverIds: string[];
  levels: ApprovalLevel[];
  decisions: { level: number; deciderId: string; verdict: "APPROVE" | "REJECT" }[];
}

export interface Decider {
  userId: string;
  roles: readonly Role[];
}

/** Whether `decider` fits the level's approvers, ignoring separation of duties. */
export function fitsLevel(level: ApprovalLevel, decider: Decider, parties: RequestParties): boolean {
  const approvers = level.approvers;
  switch (approvers.kind) {
    case "role":
      return decider.roles.includes(approvers.role);
    // Where the people a level names are gone (deactivated, never set, or only the requester), security
    // leads decide it instead, so a request is never stuck for want of someone who may decide it.
    // The "waitingFor" trigger (migration 20261201050000) makes the same choice for the inbox.
    case "user":
      return parties.inactiveApproverIds.includes(approvers.userId)
        ? decider.roles.includes("SECURITY_LEAD")
        : decider.userId === approvers.userId;
    case "system_owner":
    case "identity_owner": {
      const owners = otherOwners(parties, approvers.kind);
      return owners.length > 0 ? owners.includes(decider.userId) : decider.roles.includes("SECURITY_LEAD");
    }
  }
}

/** The active owner and backup owner of the system or identity, leaving out the requester (who never decides their own request). */
export function otherOwners(
  parties: Pick<RequestParties, "systemOwnerIds" | "identityOwnerIds" | "requesterId">,
  of: "system_owner" | "identity_owner",
): string[] {
  return (of === "system_owner" ? parties.systemOwnerIds : parties.identityOwnerIds).filter((id) => id !== parties.requesterId);
}

export function approvalsAt(parties: RequestParties, level: number): number {
  return parties.decisions.filter((decision) => decision.level === level && decision.verdict === "APPROVE").length;
}

/** The first level that still needs approvals; levels are decided in order. */
export function currentLevel(parties: RequestParties): number | undefined {
  const index = parties.levels.findIndex((level, at) => approvalsAt(parties, at) < level.required);
  return index === -1 ? undefined : index;
}

/**
 * The level `decider`'s decision would count toward, or why they may not
 * decide. Levels are decided in order (approvers are told when a request
 * reaches their level), and one person decides once per request, so two
 * levels always mean two people.
 */
export function levelFor(decider: Decider, parties: RequestParties): { level: number } | { refused: string } {
  if (decider.userId === parties.requesterId) return { refused: "Nobody decides their own request." };
  if (parties.decisions.some((decision) => decision.deciderId === decider.userId)) {
    return { refused: "You have already decided this request." };
  }
  // The identity's owner may approve only where another level also requires someone else.
  if (parties.identityOwnerIds.includes(decider.userId) && parties.levels.length < 2) {
    return { refused: "The identity's owner cannot be the only approver of a change to it." };
  }
  const level = currentLevel(parties);
  if (level === undefined) return { refused: "Every level has already approved this request." };
  if (!fitsLevel(parties.levels[level]!, decider, parties)) {
    return { refused: `This request waits for level ${level + 1} (${parties.levels[level]!.name}), which is not yours to decide.` };
  }
  return { level };
}

/** Every level has its approvals: the change is applied. */
export function isComplete(parties: RequestParties): boolean {
  return parties.levels.every((level, index) => approvalsAt(parties, index) >= level.required);
}

/** Readable "who decides" for a level, e.g. "1 × Security lead". */
export function describeApprovers(approvers: Approver, names: { userName?: (userId: string) => string } = {}): string {
  switch (approvers.kind) {
    case "role":
      return { SECURITY_LEAD: "a security lead", ADMIN: "an admin", APPROVER: "an approver" }[approvers.role];
    case "user":
      return `${names.userName?.(approvers.userId) ?? "a named person"} (security leads if deactivated)`;
    case "system_owner":
      return "the system's owner or backup owner (security leads when it has no active one but the requester)";
    case "identity_owner":
      return "the identity's owner or backup owner (security leads when it has no active one but the requester)";
  }
}
