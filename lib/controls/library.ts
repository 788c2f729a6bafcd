import * as checks from "./checks";
import type { ControlCheck } from "./checks";

// Warrant's controls: each a statement, an automated test over live data
// (checks.ts) and the framework requirements it gives evidence for. The
// mappings name requirements by their official IDs (the catalogs in
// catalogs/frameworks.json, loaded by migration); a test checks each exists.
// Where guidance names a requirement by a label that is not an official ID,
// the mapping keeps that label as an alias beside the official item:
//   - "A2" (runtime guardrails rather than only preconfigured permissions) is
//     read as OWASP Agentic Top 10 2026 ASI02, Tool Misuse and Exploitation:
//     the 2026 list numbers its items ASI01–ASI10 and has no "A2";
//   - "GOV-01" (governance and accountability for autonomous coding tools) is
//     read as CSA MAESTRO's L6, Security & Compliance, the layer that cuts
//     across the others: MAESTRO numbers no controls of its own;
//   - governance ↔ NIST AI RMF is its GOVERN function itself.
// Security leads add their own mappings (ControlMapping) beside these.

export interface BuiltInMapping {
  /** The requirement's id: "<framework>:<official ID>". */
  requirementId: string;
  /** The guidance's name for it, where that is not the official ID. */
  alias?: string;
}

export interface ControlDefinition {
  /** Stable key, used in results, exceptions, mappings and the API. */
  key: string;
  title: string;
  /** What holds when the control passes. */
  statement: string;
  /** What a failing object's owner does about it. */
  remedy: string;
  check: ControlCheck;
  mappings: readonly BuiltInMapping[];
}

const csf = (code: string): BuiltInMapping => ({ requirementId: `nist-csf-2.0:${code}` });
const airmf = (code: string): BuiltInMapping => ({ requirementId: `nist-ai-rmf-1.0:${code}` });
const asi = (code: string, alias?: string): BuiltInMapping => ({ requirementId: `owasp-agentic-top10-2026:${code}`, alias });
const threat = (code: string): BuiltInMapping => ({ requirementId: `owasp-agentic-threats-mitigations:${code}` });
const nhi = (code: string): BuiltInMapping => ({ requirementId: `owasp-nhi-top10-2025:${code}` });
const maestro = (code: string, alias?: string): BuiltInMapping => ({ requirementId: `csa-maestro:${code}`, alias });
const sp80053 = (code: string): BuiltInMapping => ({ requirementId: `nist-sp-800-53-r5:${code}` });

export const CONTROLS: readonly ControlDefinition[] = [
  {
    key: "identity.owner",
    title: "Every AI identity has an accountable owner",
    statement:
      "Every AI tool identity in service is inventoried with a named owner who is still with the organisation, and a backup owner or a team who carry it on if the owner leaves.",
    remedy: "Reassign the identity to someone who is here, and give it a backup owner or a team.",
    check: checks.ownerCheck,
    mappings: [
      csf("ID.AM-02"),
      csf("GV.RR-02"),
      csf("PR.AA-01"),
      airmf("GOVERN"),
      airmf("GOVERN 1.6"),
      airmf("GOVERN 2.1"),
      maestro("L6", "GOV-01"),
      nhi("NHI1:2025"),
      sp80053("AC-2"),
      sp80053("IA-4"),
    ],
  },
  {
    key: "identity.purpose-and-dates",
    title: "Business purpose and review date on every identity",
    statement:
      "Every AI tool identity in service states its business purpose and has an expiry date and a review date no more than a year apart.",
    remedy: "Write what the identity is for, and shorten its review cadence to a year or less.",
    check: checks.purposeAndDatesCheck,
    mappings: [
      csf("ID.AM-08"),
      csf("GV.PO-01"),
      airmf("GOVERN"),
      airmf("GOVERN 1.6"),
      airmf("GOVERN 1.7"),
      maestro("L6", "GOV-01"),
      sp80053("AC-2"),
    ],
  },
  {
    key: "identity.environment-separation",
    title: "Separate identities per environment",
    statement: "No development or staging identity reaches a production system: each environment has identities of its own.",
    remedy: "Revoke the production access and register a production identity for that work.",
    check: checks.environmentSeparationCheck,
    mappings: [
      csf("PR.AA-05"),
      csf("PR.IR-01"),
      nhi("NHI8:2025"),
      nhi("NHI9:2025"),
      asi("ASI03"),
      threat("T3"),
      maestro("L4"),
      sp80053("AC-6"),
    ],
  },
  {
    key: "access.no-standing-deploy",
    title: "No standing deploy access where just-in-time access is possible",
    statement:
      "An identity that can ask for just-in-time access (it holds an agent token) holds no standing deploy or admin grant: it asks for a task-scoped token when it needs one.",
    remedy: "Revoke the standing grant; the agent asks for just-in-time access for each task.",
    check: checks.noStandingDeployCheck,
    mappings: [csf("PR.AA-05"), nhi("NHI5:2025"), asi("ASI03"), threat("T3"), sp80053("AC-6"), sp80053("AC-2(2)"), sp80053("AC-2(6)")],
  },
  {
    key: "credentials.short-lived",
    title: "Short-lived credentials preferred",
    statement:
      "Identities authenticate with short-lived credentials. Every long-lived credential (no expiry, or issued more than 90 days ago) is counted and aged, and fails its identity.",
    remedy: "Replace the credential with a short-lived one (just-in-time token, cloud role) or rotate it with an expiry.",
    check: checks.shortLivedCredentialsCheck,
    mappings: [csf("PR.AA-01"), csf("PR.AA-03"), nhi("NHI7:2025"), nhi("NHI2:2025"), sp80053("IA-5"), sp80053("IA-5(1)")],
  },
  {
    key: "access.separation-of-duties",
    title: "Read, write and deploy separated",
    statement: "No identity holds write and deploy access, or admin beside either, on the same system.",
    remedy: "Split the work between identities, or drop the permission the identity does not need.",
    check: checks.separationOfDutiesCheck,
    mappings: [csf("PR.AA-05"), nhi("NHI5:2025"), asi("ASI03"), sp80053("AC-5"), sp80053("AC-6")],
  },
  {
    key: "runtime.activity-logged",
    title: "Every tool call, token use and privileged action logged",
    statement:
      "Every active identity that acts through Warrant's runtime API also reports its tool calls, token uses and privileged actions: events are received for each.",
    remedy: "Install Warrant's hook or gateway for the tool, so it reports what it does.",
    check: checks.activityLoggedCheck,
    mappings: [
      csf("PR.PS-04"),
      csf("DE.CM-03"),
      csf("DE.CM-09"),
      threat("T8"),
      asi("ASI10"),
      maestro("L5"),
      sp80053("AU-2"),
      sp80053("AU-12"),
      sp80053("AC-6(9)"),
    ],
  },
  {
    key: "runtime.policy-in-force",
    title: "Runtime policy in force",
    statement:
      "Agents' actions are judged at run time by policy, not only by preconfigured permissions: a policy version is active and every identity that reports actions had them decided (decisions logged per identity).",
    remedy: "Route the tool's actions through Warrant's authorize endpoint (its hook or gateway) before it acts.",
    check: checks.runtimePolicyCheck,
    mappings: [asi("ASI02", "A2"), asi("ASI01"), threat("T2"), csf("PR.AA-05"), airmf("MANAGE 4.1"), maestro("L3"), sp80053("AC-3")],
  },
  {
    key: "access.jit-ends-with-task",
    title: "Access revoked when a task ends",
    statement: "No just-in-time token outlives its task: once the task completes, the token is revoked or expires, its access ends too.",
    remedy: "Revoke the grants left behind by the ended token.",
    check: checks.jitEndsWithTaskCheck,
    mappings: [csf("PR.AA-05"), nhi("NHI1:2025"), nhi("NHI7:2025"), sp80053("AC-2(2)"), sp80053("AC-2(3)")],
  },
  {
    key: "identity.review-after-change",
    title: "Re-review or rotation after a model or scope change",
    statement:
      "When an identity's model changes or it gains write, deploy or admin access, its owner re-reviews it or rotates its credentials within 30 days.",
    remedy: "Open and complete a review of the identity, or rotate its credentials.",
    check: checks.reviewAfterChangeCheck,
    mappings: [csf("ID.RA-07"), csf("ID.AM-08"), airmf("MEASURE 3.1"), airmf("MANAGE 4.1"), asi("ASI04"), threat("T17"), sp80053("CA-7")],
  },
  {
    key: "approvals.human-recorded",
    title: "Human approval recorded for every sensitive change",
    statement:
      "Every sensitive change applied in the last 90 days carries an approving decision by someone other than its requester; break-glass changes count only once someone else approved them.",
    remedy: "Have a second person review and approve the change, or undo it.",
    check: checks.approvalRecordedCheck,
    mappings: [csf("ID.RA-07"), csf("GV.RR-02"), asi("ASI09"), threat("T10"), airmf("GOVERN 2.1"), sp80053("AC-5"), sp80053("AU-10")],
  },
  {
    key: "reviews.on-time",
    title: "Reviews attested on time",
    statement: "Every identity in service was reviewed by its review date: its owner attested it is still needed, with minimal access.",
    remedy: "Complete the identity's review (My tasks).",
    check: checks.reviewsOnTimeCheck,
    mappings: [csf("GV.OV-03"), csf("PR.AA-05"), airmf("GOVERN 1.5"), nhi("NHI1:2025"), sp80053("AC-2")],
  },
  {
    key: "identity.no-orphans",
    title: "No orphaned identities",
    statement: "No identity in service is orphaned: none whose owner left without someone taking it over, and none dormant for 90 days.",
    remedy: "Reassign the identity to a new owner, or retire it if nobody needs it.",
    check: checks.noOrphansCheck,
    mappings: [csf("ID.AM-08"), nhi("NHI1:2025"), airmf("GOVERN 1.7"), asi("ASI10"), sp80053("AC-2(3)"), sp80053("AC-2")],
  },
  {
    key: "discovery.footprints-decided",
    title: "Every AI tool found in a repository is registered or dismissed",
    statement:
      "Every AI tool footprint found in scanned repositories (MCP servers, agent settings, CI jobs that run coding agents, instruction files, leaked secrets) is registered as an identity, linked to one, or dismissed with a reason.",
    remedy: "Open the finding under Discovered: register the tool, link it to the identity it belongs to, or dismiss it with the reason.",
    check: checks.footprintsDecidedCheck,
    mappings: [
      csf("ID.AM-02"),
      csf("DE.CM-09"),
      airmf("GOVERN 1.6"),
      maestro("L6", "GOV-01"),
      nhi("NHI2:2025"),
      nhi("NHI5:2025"),
      asi("ASI04"),
      // The shipped SP 800-53 subset has no CM family; IA-5 covers authenticators left in files, AC-6 reach beyond grants.
      sp80053("IA-5"),
      sp80053("AC-6"),
    ],
  },
  {
    key: "audit.chain-intact",
    title: "Audit chain intact up to the latest signed checkpoint",
    statement:
      "Every audit event links to the one before and matches its hash, and every signed checkpoint verifies: nothing was altered or cut off.",
    remedy: "Investigate at once: compare with the checkpoint copies in the job log and restore the log from backup.",
    check: checks.auditChainCheck,
    mappings: [csf("PR.PS-04"), csf("PR.DS-10"), threat("T8"), sp80053("AU-9"), sp80053("AU-9(3)"), sp80053("AU-10")],
  },
];

export function findControl(key: string): ControlDefinition | undefined {
  return CONTROLS.find((control) => control.key === key);
}
