import { z } from "zod";
import type { AnyMutation } from "@/lib/auth/mutation";
import type { Permission } from "@/lib/auth/permissions";
import { createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import type { ErrorCode } from "@/lib/errors";
import { createCredential, revokeCredential, rotateCredential } from "@/lib/inventory/credentials";
import { createGrant, revokeGrant } from "@/lib/inventory/grants";
import { reviewListQuery } from "@/lib/reviews/queries";
import { attestReview, openReview } from "@/lib/reviews/reviews";
import {
  activateIdentity,
  createIdentity,
  reactivateIdentity,
  retireIdentity,
  suspendIdentity,
  updateIdentity,
} from "@/lib/inventory/identities";
import { inventoryQuerySchema } from "@/lib/inventory/query";
import { confirmSystemSensitivity, createSystem, updateSystem } from "@/lib/inventory/systems";
import { addRequirement, importOscalFramework } from "@/lib/controls/framework-import";
import { runControls } from "@/lib/controls/run";
import { requestEvidencePackage } from "@/lib/evidence/requests";
import { startCampaign } from "@/lib/campaigns/start";
import { closeCampaign, nudgeCampaign } from "@/lib/campaigns/manage";
import { reportQuery } from "@/lib/campaigns/report";
import { submitScan } from "@/lib/discovery/ingest";
import { dismissFinding, linkFinding, registerFinding, reopenFinding } from "@/lib/discovery/decide";
import { moveRepository } from "@/lib/discovery/repositories";
import { findingListParams } from "@/lib/discovery/queries";
import { addControlException, mapControl, revokeControlException } from "@/lib/controls/exceptions";
import { setNotificationPreferences } from "@/lib/lifecycle/preferences";
import { systemListQuery } from "@/lib/inventory/system-list";
import { createUser, deactivateUser, reactivateUser, setUserRoles } from "@/lib/users/mutations";
import { createWebhook, deactivateWebhook, deleteWebhook } from "@/lib/notifications/webhooks";
import { cursorPageQuery } from "./handler";
import { breakGlassApprovalRequest, decideApprovalRequest, withdrawApprovalRequest } from "@/lib/approvals/decide";
import { approvalListQuery } from "@/lib/approvals/queries";
import { updateApprovalRule, updateCatalogEntry } from "@/lib/approvals/settings";
import { decisionListQuery } from "@/lib/policy/decisions";
import { replayQuery } from "@/lib/policy/replay";
import { activatePolicyVersion, createPolicyVersion } from "@/lib/policy/store";
import { authorizeInput } from "@/lib/policy/authorize";
import { eventsBody } from "@/lib/events/input";
import { postToolUseInput, preToolUseInput } from "@/lib/policy/claude-code";
import { issueAgentToken } from "@/lib/auth/agent";
import { accessRequestInput } from "@/lib/access/requests";
import { revokeAccessGrant } from "@/lib/access/grants";
import { updateLifecycleSettings } from "@/lib/lifecycle/settings";
import { registerFromTemplate } from "@/lib/templates/register";
import { archiveTemplate, createTemplate, updateTemplate } from "@/lib/templates/templates";

// The OpenAPI document for /api/v1, generated from the zod schemas the
// handlers validate with (a mutation route documents its mutation's own
// input), so the document cannot promise a shape the API does not accept.
// Every route under app/api/v1 is declared once below; a test walks the
// folder and fails if one is missing or the list names one that isn't there.

type Method = "GET" | "POST" | "PATCH" | "PUT";
type JsonSchema = Record<string, unknown>;

export interface ApiRoute {
  method: Method;
  /** Under /api/v1, with OpenAPI path templates: "/identities/{id}". */
  path: string;
  /** Unique; mutation routes use the mutation's name. */
  operationId: string;
  summary: string;
  tag: string;
  /** What the caller must hold; null for public documentation. */
  permission: Permission | null;
  /** The JSON body, for mutations the mutation's input (fields filled from the path are left out). */
  body?: z.ZodType;
  /** Search-param schemas, accepted together. */
  query?: z.ZodObject[];
  /** Each path param and the input field it fills, e.g. { id: "identityId" }. */
  pathParams?: Record<string, string>;
  /** Success status; 200 unless said. */
  status?: number;
  response: string;
  /** When the call answers 409, if it can. */
  conflict?: string;
  /** Why API tokens can never make this call (it answers them 403 whatever they send). */
  refusedToApiTokens?: string;
  /** Body fields the route fills itself (e.g. approve/reject set `verdict`). */
  bodyOmits?: string[];
  /** Some inputs are sensitive changes: they answer 202 with an approval request and need a `justification`. */
  mayNeedApproval?: boolean;
  /** Called by an AI identity with its agent token or a JIT token, not by a person's API token. */
  agent?: boolean;
}

interface RouteDetails {
  summary: string;
  tag: string;
  response: string;
  pathParams?: Record<string, string>;
  status?: number;
  conflict?: string;
  bodyOmits?: string[];
  /** When two routes run one mutation (approve and reject). */
  operationId?: string;
}

function mutationRoute(method: Method, path: string, mutation: AnyMutation, details: RouteDetails): ApiRoute {
  // A call no token may make documents no body: there is nothing a token could send.
  if (mutation.refusedToApiTokens) {
    return {
      method,
      path,
      operationId: mutation.name,
      permission: mutation.permission,
      refusedToApiTokens: mutation.refusedToApiTokens,
      ...details,
    };
  }
  return {
    method,
    path,
    operationId: mutation.name,
    permission: mutation.permission,
    body: mutation.input,
    mayNeedApproval: mutation.sensitive !== undefined,
    ...details,
  };
}

function queryRoute(
  path: string,
  operationId: string,
  permission: Permission | null,
  details: RouteDetails & { query?: z.ZodObject[] },
): ApiRoute {
  return { method: "GET", path, operationId, permission, ...details };
}

/** A runtime endpoint an AI identity calls (lib/api/agent-handler.ts). */
function agentRoute(method: Method, path: string, operationId: string, details: RouteDetails & { body?: z.ZodType }): ApiRoute {
  return { method, path, operationId, permission: null, agent: true, ...details };
}

const byId = (field: string) => ({ id: field });

// GET /audit-events checks `before` by hand; this schema documents the same rule.
const auditEventsQuery = z.object({
  before: z.string().regex(/^\d+$/).optional().describe("Sequence number: only events older than this one (from `nextBefore`)."),
});

export const API_ROUTES: ApiRoute[] = [
  queryRoute("/openapi.json", "openapi.get", null, { summary: "This document", tag: "meta", response: "The OpenAPI 3.1 document." }),
  queryRoute("/me", "me.get", "inventory:read", {
    summary: "Who the token acts for",
    tag: "meta",
    response: "The caller: user id, roles and the token's scopes.",
  }),
  queryRoute("/me/notification-preferences", "me.notification-preferences.get", "inventory:read", {
    summary: "How the caller receives each kind of lifecycle message",
    tag: "meta",
    response:
      '`{ preferences: { "review.opened": EMAIL|DIGEST|NONE, "review.reminder", "review.overdue", "identity.expiring", "identity.expired", "credential.attention" } }`; escalations and suspensions always go by email.',
  }),
  mutationRoute("PATCH", "/me/notification-preferences", setNotificationPreferences, {
    summary: "Choose email, a daily digest or nothing for some kinds of lifecycle message",
    tag: "meta",
    response: "The caller's choices for every kind, after the change.",
  }),

  queryRoute("/users", "users.list", "users:read", { summary: "List users", tag: "users", response: "`{ users: [...] }`, active first." }),
  mutationRoute("POST", "/users", createUser, {
    summary: "Pre-register a user (before their first sign-in)",
    tag: "users",
    status: 201,
    response: "The new user.",
    conflict: "The email is already in use.",
  }),
  mutationRoute("PATCH", "/users/{id}", setUserRoles, {
    summary: "Replace a user's roles",
    tag: "users",
    pathParams: byId("userId"),
    response: "The user with the new roles.",
  }),
  mutationRoute("POST", "/users/{id}/deactivate", deactivateUser, {
    summary: "Deactivate a user: ends their sessions and tokens, orphans what they own",
    tag: "users",
    pathParams: byId("userId"),
    response: "The deactivated user.",
    conflict: "The user is already deactivated.",
  }),
  mutationRoute("POST", "/users/{id}/reactivate", reactivateUser, {
    summary: "Reactivate a user",
    tag: "users",
    pathParams: byId("userId"),
    response: "The user.",
    conflict: "The user is already active.",
  }),

  mutationRoute("POST", "/api-tokens", createApiToken, {
    summary: "Create an API token (not with a token: answers 403)",
    tag: "api-tokens",
    status: 201,
    response: "The token, including `secret`: shown this once and never stored.",
  }),
  mutationRoute("POST", "/api-tokens/{id}/revoke", revokeApiToken, {
    summary: "Revoke one of your API tokens",
    tag: "api-tokens",
    pathParams: byId("tokenId"),
    response: "`{ id }` of the revoked token.",
    conflict: "The token is already revoked.",
  }),

  queryRoute("/webhooks", "webhooks.list", "notifications:manage", {
    summary: "List webhooks (admins)",
    tag: "webhooks",
    response:
      "`{ webhooks: [...] }`, active first; a URL whose path is itself a credential (Slack's) shows only its origin. Secrets are never listed.",
  }),
  mutationRoute("POST", "/webhooks", createWebhook, {
    summary: "Add a webhook that receives notifications (admins)",
    tag: "webhooks",
    status: 201,
    response:
      "The webhook, including `secret`: shown this once. Each POST it receives carries `X-Warrant-Signature: sha256=<hex HMAC-SHA256 of the body with the secret>` and `X-Warrant-Delivery`, the message id (the same on every retry).",
  }),
  mutationRoute("POST", "/webhooks/{id}/deactivate", deactivateWebhook, {
    summary: "Stop sending to a webhook (admins)",
    tag: "webhooks",
    pathParams: byId("webhookId"),
    response: "`{ id, name }`.",
    conflict: "The webhook is already inactive.",
  }),
  mutationRoute("POST", "/webhooks/{id}/delete", deleteWebhook, {
    summary: "Delete a webhook: it leaves every list and its secret is erased; what waited for it is not sent (admins)",
    tag: "webhooks",
    pathParams: byId("webhookId"),
    response: "`{ id, name }`.",
  }),

  queryRoute("/audit-events", "audit-events.list", "audit:read", {
    summary: "Audit events, newest first, 100 a page",
    tag: "audit",
    query: [auditEventsQuery],
    response: "`{ events: [...], nextBefore }`; pass `nextBefore` as `before` for the next page (null at the end).",
  }),

  queryRoute("/identities", "identities.list", "inventory:read", {
    summary: "List identities with the inventory's filters, search and sort",
    tag: "identities",
    query: [inventoryQuerySchema, cursorPageQuery],
    response: "`{ data: [...], nextCursor }`; pass `nextCursor` as `cursor` for the next page (null at the end).",
  }),
  mutationRoute("POST", "/identities", createIdentity, {
    summary: "Register an AI identity",
    tag: "identities",
    status: 201,
    response: "The new identity with its computed `riskTier` and `riskReasons`.",
    conflict: "An identity with that name already exists in the environment (or that externalId is taken).",
  }),
  queryRoute("/identities/{id}", "identities.get", "inventory:read", {
    summary: "One identity with its grants (and their systems), credentials and risk",
    tag: "identities",
    pathParams: byId("identityId"),
    response:
      "What the identity page shows: the identity, `owner`, `backupOwner`, `team`, `grants[].system`, `credentials`, `riskTier`, `riskReasons` and its `timeline` of audit events.",
  }),
  mutationRoute("PATCH", "/identities/{id}", updateIdentity, {
    summary: "Edit an identity (owner, backup owner, security leads and admins)",
    tag: "identities",
    pathParams: byId("identityId"),
    response: "The identity with its recomputed risk.",
    conflict: "Another identity in the same environment has that name.",
  }),
  mutationRoute("POST", "/identities/{id}/activate", activateIdentity, {
    summary: "Activate a proposed identity (one registered from a discovered footprint) once its owner vouches for it",
    tag: "identities",
    pathParams: byId("identityId"),
    response: "The active identity.",
    conflict: "The identity is not proposed.",
  }),
  mutationRoute("POST", "/identities/{id}/suspend", suspendIdentity, {
    summary: "Suspend an identity",
    tag: "identities",
    pathParams: byId("identityId"),
    response: "The suspended identity.",
    conflict: "The identity's status does not allow it.",
  }),
  mutationRoute("POST", "/identities/{id}/reactivate", reactivateIdentity, {
    summary: "Reactivate a suspended identity (security leads and admins)",
    tag: "identities",
    pathParams: byId("identityId"),
    response: "The active identity.",
    conflict: "The identity is not suspended, or has passed its expiry date.",
  }),
  mutationRoute("POST", "/identities/{id}/retire", retireIdentity, {
    summary: "Retire an identity: ends its grants, revokes its credentials, keeps its history",
    tag: "identities",
    pathParams: byId("identityId"),
    response: "The retired identity.",
    conflict: "The identity is already retired or revoked.",
  }),

  queryRoute("/templates", "templates.list", "inventory:read", {
    summary: "Identity templates: the kinds of AI tool the organisation approved, in use first",
    tag: "templates",
    response:
      "`{ templates: [{ id, name, description, kind, vendor, product, model, environment, autonomy, teamId, teamName, reviewCadenceDays (null: by risk tier), lifetimeDays, grants: [{ systemId, permission, systemName, systemEnvironment }], version, archivedAt, identitiesMade, identitiesInService }] }`.",
  }),
  mutationRoute("POST", "/templates", createTemplate, {
    summary: "Create a template (security leads): kind, environment, autonomy, grants, review cadence and lifetime",
    tag: "templates",
    status: 201,
    response: "The template, version 1. A grant on a system that does not exist is a 422 naming `grants.N.systemId`.",
    conflict: "A template with that name already exists.",
  }),
  queryRoute("/templates/{id}", "templates.get", "inventory:read", {
    summary: "One template",
    tag: "templates",
    pathParams: byId("templateId"),
    response: "The template as listed.",
  }),
  mutationRoute("PATCH", "/templates/{id}", updateTemplate, {
    summary:
      "Edit a template (security leads): its version goes up by one; `openReviews: true` opens a CHANGE review for every identity in service made from it",
    tag: "templates",
    pathParams: byId("templateId"),
    response:
      "The template with its new `version`, `reviewsOpened` and `alreadyUnderReview` (identities that kept the review they had open). 422 when nothing changes.",
    conflict: "The template is archived, or another template has that name.",
  }),
  mutationRoute("POST", "/templates/{id}/archive", archiveTemplate, {
    summary: "Archive a template: nobody registers from it any more; identities made from it stay",
    tag: "templates",
    pathParams: byId("templateId"),
    response: "The template with `archivedAt`.",
    conflict: "The template is already archived.",
  }),
  mutationRoute("POST", "/templates/{id}/identities", registerFromTemplate, {
    summary:
      "Register an identity from the template with a `name` and a `purpose` (owner: you unless `ownerId`); it gets the template's settings, expiry, cadence and grants",
    tag: "templates",
    status: 201,
    pathParams: byId("templateId"),
    response:
      "The identity with its `grants`. When the identity or any of its grants is sensitive, 202 with one approval request for the whole registration; its approval applies it, unless the template changed meanwhile.",
    conflict: "The template is archived, or an identity with that name already exists in its environment.",
  }),
  queryRoute("/lifecycle-settings", "lifecycle.settings", "inventory:read", {
    summary: "The lifecycle settings: escalation of overdue reviews, the change-review window and the review cadence by risk tier",
    tag: "lifecycle",
    response: "`{ escalationDays, changeReviewDays, cadenceCriticalDays, cadenceHighDays, cadenceMediumDays, cadenceLowDays }`.",
  }),
  mutationRoute("PUT", "/lifecycle-settings", updateLifecycleSettings, {
    summary: "Replace the lifecycle settings (security leads); every field is required",
    tag: "lifecycle",
    response: "The settings as saved.",
  }),

  queryRoute("/systems", "systems.list", "inventory:read", {
    summary: "List systems by name, optionally of one environment or sensitivity, or awaiting a lead's confirmation of their sensitivity",
    tag: "systems",
    query: [systemListQuery, cursorPageQuery],
    response: "`{ data: [...], nextCursor }`; pass `nextCursor` as `cursor` for the next page (null at the end).",
  }),
  mutationRoute("POST", "/systems", createSystem, {
    summary: "Register a system identities can reach",
    tag: "systems",
    status: 201,
    response:
      "The new system. Registered by someone who is not a security lead or admin, a sensitivity below restricted is kept as `proposedSensitivity` and `sensitivity` is RESTRICTED until a lead confirms.",
    conflict: "A system with that name already exists in the environment.",
  }),
  queryRoute("/systems/{id}", "systems.get", "inventory:read", {
    summary: "One system",
    tag: "systems",
    pathParams: byId("systemId"),
    response: "The system.",
  }),
  mutationRoute("PATCH", "/systems/{id}", updateSystem, {
    summary: "Edit a system (security leads and admins); re-rates every identity reaching it",
    tag: "systems",
    pathParams: byId("systemId"),
    response: "The system.",
    conflict: "Another system in that environment has that name.",
  }),
  mutationRoute("POST", "/systems/{id}/confirm-sensitivity", confirmSystemSensitivity, {
    summary:
      "Decide the sensitivity a member proposed when registering the system (security leads and admins); re-rates every identity reaching it",
    tag: "systems",
    pathParams: byId("systemId"),
    response: "The system, with `proposedSensitivity` null.",
    conflict: "The system is not awaiting confirmation.",
  }),

  mutationRoute("POST", "/grants", createGrant, {
    summary: "Grant an identity one permission on one system",
    tag: "grants",
    status: 201,
    response: "The new grant.",
    conflict: "The identity already holds that permission there, or is no longer live.",
  }),
  queryRoute("/grants/{id}", "grants.get", "inventory:read", {
    summary: "One grant",
    tag: "grants",
    pathParams: byId("grantId"),
    response: "The grant with its `system` and `identity`.",
  }),
  mutationRoute("POST", "/grants/{id}/revoke", revokeGrant, {
    summary: "Revoke a grant",
    tag: "grants",
    pathParams: byId("grantId"),
    response: "The revoked grant.",
    conflict: "The grant is already revoked.",
  }),

  mutationRoute("POST", "/credentials", createCredential, {
    summary: "Record a credential's metadata and fingerprint (never the secret)",
    tag: "credentials",
    status: 201,
    response: "The new credential.",
  }),
  queryRoute("/credentials/{id}", "credentials.get", "inventory:read", {
    summary: "One credential",
    tag: "credentials",
    pathParams: byId("credentialId"),
    response: "The credential with its `identity`.",
  }),
  mutationRoute("POST", "/credentials/{id}/rotate", rotateCredential, {
    summary: "Record a rotation: the new fingerprint",
    tag: "credentials",
    pathParams: byId("credentialId"),
    response: "The credential with its new fingerprint and rotation date.",
    conflict: "The credential is revoked.",
  }),
  mutationRoute("POST", "/credentials/{id}/revoke", revokeCredential, {
    summary: "Mark a credential revoked",
    tag: "credentials",
    pathParams: byId("credentialId"),
    response: "The revoked credential.",
    conflict: "The credential is already revoked.",
  }),

  queryRoute("/reviews", "reviews.list", "inventory:read", {
    summary: "List reviews, soonest due first",
    tag: "reviews",
    query: [reviewListQuery, cursorPageQuery],
    response:
      "`{ data: [...], nextCursor }`; each review with its `identity` (and owner), `openedBy` and `attestedBy`. `mine=1`: reviews of identities you own or back up.",
  }),
  mutationRoute("POST", "/reviews", openReview, {
    summary: "Open a review of an identity: its owner attests by `dueAt` (default 14 days)",
    tag: "reviews",
    status: 201,
    response: "The open review. The identity's next review date moves forward to `dueAt` if that is sooner.",
    conflict: "The identity already has an open review, or is not in service.",
  }),
  queryRoute("/reviews/{id}", "reviews.get", "inventory:read", {
    summary: "One review",
    tag: "reviews",
    pathParams: byId("reviewId"),
    response:
      "The review with its `identity`, `openedBy`, `attestedBy` and `handoverFrom` (the previous owner, when a new owner must take it over); `changes` (what opened or joined it: `[{ at, field, from, to, byLabel }]`); and `changesSinceLastAttestation`: `{ since, rows: [{ at, by, what, from, to }], truncated }`, the identity's changes from the audit log since the attestation before this review (up to this review's own, once attested).",
  }),
  mutationRoute("POST", "/reviews/{id}/attest", attestReview, {
    summary:
      "Attest a review (the identity's owner or backup owner; security leads for an orphan with no active backup owner): keep, reduce (end `grantIds`) or retire",
    tag: "reviews",
    pathParams: byId("reviewId"),
    response: "The completed review. Its outcome is carried out in the same transaction.",
    conflict: "The review is already completed or cancelled, or a grant to end is already revoked.",
  }),

  queryRoute("/approval-requests", "approvals.list", "inventory:read", {
    summary: "List approval requests: waiting for my decision (default), mine, all, or history",
    tag: "approvals",
    query: [approvalListQuery, cursorPageQuery],
    response:
      "`{ data: [...], nextCursor }`; each request with its `requester`, `identity`, `rule`, `status` and, while pending, `waitingForLevel`. `all` and `history` need `approvals:read` (security leads, admins, auditors). Filters: `status`, `catalogKey` (the kind of change), `rule` (a rule's key), `q` (text in the summary, the requester's name or email, or the identity's name). `sort` (`createdAt`, `expiresAt`, `status` then age, `requester` by name) and `dir`: newest first by default, ascending when only `sort` is given; `waiting` is always oldest first and refuses them.",
  }),
  queryRoute("/approval-requests/{id}", "approvals.get", "inventory:read", {
    summary: "One approval request: what would change, why, its levels and decisions",
    tag: "approvals",
    pathParams: byId("requestId"),
    response:
      "The request with `changes` (the audit entries the change would write), `levels`, `decisions`, `riskBefore`/`riskAfter` and `viewer` (whether you may decide, withdraw or break glass).",
  }),
  mutationRoute("POST", "/approval-requests/{id}/approve", decideApprovalRequest, {
    summary: "Approve for the level the request waits for; the last approval applies the change in the same transaction",
    tag: "approvals",
    pathParams: byId("requestId"),
    bodyOmits: ["verdict"],
    operationId: "approvals.approve",
    response: "`{ id, status }`: PENDING (more levels to go), APPLIED, or FAILED with the `reason` the change no longer applies.",
    conflict: "The request is no longer pending, or has expired.",
  }),
  mutationRoute("POST", "/approval-requests/{id}/reject", decideApprovalRequest, {
    summary: "Reject (a `comment` is required); this ends the request",
    tag: "approvals",
    pathParams: byId("requestId"),
    bodyOmits: ["verdict"],
    operationId: "approvals.reject",
    response: "`{ id, status: REJECTED }`.",
    conflict: "The request is no longer pending, or has expired.",
  }),
  mutationRoute("POST", "/approval-requests/{id}/withdraw", withdrawApprovalRequest, {
    summary: "Withdraw your own pending request",
    tag: "approvals",
    pathParams: byId("requestId"),
    response: "`{ id, status: WITHDRAWN }`.",
    conflict: "The request is no longer pending.",
  }),
  mutationRoute("POST", "/approval-requests/{id}/break-glass", breakGlassApprovalRequest, {
    summary: "Admins: apply a pending change at once, with a reason; a review of the identity opens",
    tag: "approvals",
    pathParams: byId("requestId"),
    response: "`{ id, status: APPLIED, breakGlass: true }`.",
    conflict: "The request is no longer pending, or the change no longer applies.",
  }),
  queryRoute("/approval-rules", "approvals.settings", "inventory:read", {
    summary: "The approval rules and the catalog of sensitive changes",
    tag: "approvals",
    response: "`{ rules: [{ key, name, levels, expiryHours }], catalog: [{ key, label, description, enabled, ruleKey, maxDays }] }`.",
  }),
  mutationRoute("PATCH", "/approval-rules/{key}", updateApprovalRule, {
    summary: "Change an approval rule's levels and expiry (itself a change that needs approval)",
    tag: "approvals",
    pathParams: { key: "ruleKey" },
    response: "The rule.",
  }),
  mutationRoute("PATCH", "/approval-catalog/{key}", updateCatalogEntry, {
    summary: "Switch a kind of sensitive change on or off, choose its rule and limit (itself a change that needs approval)",
    tag: "approvals",
    pathParams: { key: "key" },
    response: "The catalog entry.",
  }),
  queryRoute("/frameworks", "frameworks.list", "controls:read", {
    summary:
      "The frameworks Warrant's controls map to (NIST CSF 2.0, NIST AI RMF 1.0, OWASP's agentic and NHI top tens, CSA MAESTRO, NIST SP 800-53 r5)",
    tag: "frameworks",
    response: "`{ frameworks: [{ id, name, version, source, builtIn, counts: { kind: number }, requirements }] }`.",
  }),
  mutationRoute("POST", "/frameworks", importOscalFramework, {
    summary: "Add a framework of your own from an OSCAL catalog (the document's JSON, with an optional `key`)",
    tag: "frameworks",
    status: 201,
    response:
      "`{ id, name, version, requirements }`: every group and control became an item, under its label (or id), nested as in the catalog. 409 when the key is taken.",
  }),
  mutationRoute("POST", "/frameworks/{id}/requirements", addRequirement, {
    summary: "Add one requirement to a framework of your own (the shipped catalogs keep exactly their official items)",
    tag: "frameworks",
    status: 201,
    pathParams: byId("frameworkId"),
    response: "`{ frameworkId, code, title }`.",
    conflict: "The framework is a shipped catalog, or already has that code.",
  }),
  queryRoute("/frameworks/{id}", "frameworks.get", "controls:read", {
    summary:
      "One framework with its items under their official IDs, as a tree (each item followed by the items under it, siblings in published order)",
    tag: "frameworks",
    pathParams: byId("id"),
    response:
      "`{ id, name, version, source, notes, builtIn, requirements: [{ id, code, kind, title, text, parentCode, altTitle, withdrawn, oscalId, note, depth }] }`.",
  }),
  queryRoute("/controls", "controls.list", "controls:read", {
    summary: "Warrant's controls: each with its latest result, its recent trend and the requirements it maps to",
    tag: "controls",
    response:
      "`{ controls: [{ key, title, statement, remedy, latest: { runId, at, status (PASS|FAIL|NOT_APPLICABLE), total, failed, excepted, measure, reason } | null, trend: [{ at, status, passRate }], mappings: [{ requirementId, frameworkId, frameworkName, code, title, alias, builtIn }] }] }`.",
  }),
  queryRoute("/controls/{key}", "controls.get", "controls:read", {
    summary: "One control with its latest failing objects (the first 200; `failureCount` says how many), its exceptions and mappings",
    tag: "controls",
    pathParams: { key: "key" },
    response:
      "As in the list, plus `failures: [{ objectType, objectId, label, detail, ownerId, ownerName, excepted }]`, `failureCount` and `exceptions`.",
  }),
  mutationRoute("POST", "/controls/runs", runControls, {
    summary: "Run every control now over live data (the daily job runs them too); each run is kept",
    tag: "controls",
    status: 201,
    response: "`{ runId, passed, failed, notApplicable, newlyFailing: [control keys] }`.",
  }),
  mutationRoute("POST", "/controls/{key}/exceptions", addControlException, {
    summary:
      "Accept one object the control's latest run found failing, with a reason, until a date at most a year ahead (a second security lead approves it)",
    tag: "controls",
    status: 201,
    pathParams: { key: "controlKey" },
    response: "The exception; 202 with the approval request while it waits for approval.",
    conflict: "The object is not failing in the control's latest run, or is already excepted.",
  }),
  mutationRoute("POST", "/control-exceptions/{id}/revoke", revokeControlException, {
    summary: "End an exception early: the object fails again from the next run",
    tag: "controls",
    pathParams: byId("exceptionId"),
    response: "The exception.",
    conflict: "The exception is already revoked.",
  }),
  mutationRoute("POST", "/controls/{key}/mappings", mapControl, {
    summary: "Map a control to a requirement (typically of a framework of your own), with an optional alias",
    tag: "controls",
    status: 201,
    pathParams: { key: "controlKey" },
    response: "The mapping.",
    conflict: "The control already maps to that requirement.",
  }),
  queryRoute("/evidence-packages", "evidence.list", "evidence:export", {
    summary: "Evidence packages, newest first, with each build's progress",
    tag: "evidence",
    response:
      "`{ packages: [{ id, status (QUEUED|BUILDING|READY|FAILED), periodFrom, periodTo, frameworks, teamId, teamName, requestedBy, requestedAt, progress, stage, attempts, finishedAt, error, sizeBytes, sha256, keyId, fileCount }] }`.",
  }),
  mutationRoute("POST", "/evidence-packages", requestEvidencePackage, {
    summary:
      "Ask for an evidence package over a period, for some frameworks and optionally one team; a background job builds it (auditors and security leads)",
    tag: "evidence",
    status: 202,
    response: "The package, QUEUED. Poll `GET /evidence-packages/{id}` until `status` is READY, then download it.",
  }),
  queryRoute("/evidence-packages/{id}", "evidence.get", "evidence:export", {
    summary: "One evidence package: its status, progress and, once built, its size, SHA-256 and signing key",
    tag: "evidence",
    pathParams: byId("id"),
    response: "As in the list.",
  }),
  queryRoute("/evidence-packages/{id}/download", "evidence.download", "evidence:export", {
    summary:
      "The package's zip (application/zip): manifest.json signed with the key published at /.well-known/warrant-evidence-keys.json; `npm run cli -- evidence:verify` checks it offline. The download is audited",
    tag: "evidence",
    pathParams: byId("id"),
    response: "The zip; 409 while the package is not READY.",
  }),
  queryRoute("/campaigns", "campaigns.list", "inventory:read", {
    summary: "Review campaigns, open ones first, newest first, with their progress",
    tag: "campaigns",
    response:
      "`{ campaigns: [{ id, name, status (OPEN|CLOSED), dueAt, createdAt, closedAt, createdBy, savedViewName, progress: { total, attested, pending, overdue, cancelled } }] }`. A closed campaign's progress is as it stood at closing.",
  }),
  mutationRoute("POST", "/campaigns", startCampaign, {
    summary:
      "Start a review campaign (security leads): one review per identity in service matching `query` (the inventory's query string, e.g. `teamId=…&risk=HIGH`; empty for every identity in service) or the saved view `savedViewId`, due `dueAt` (a day alone means its end, UTC); identities with an open review join with it; each owner gets one message",
    tag: "campaigns",
    status: 201,
    response:
      "`{ id, name, dueAt, query, savedViewName, matched, created, joined, inOtherCampaigns, notified }`: `inOtherCampaigns` counts identities whose open review stays in another campaign. 422 names the field for a past due date, a filter that does not parse or one that matches nothing.",
    conflict: "Every identity the filter matches already has an open review in another campaign.",
  }),
  queryRoute("/campaigns/{id}", "campaigns.get", "inventory:read", {
    summary: "One campaign: its progress overall, by owner and by team (the 50 most overdue), day by day, and its first 100 reviews",
    tag: "campaigns",
    pathParams: byId("id"),
    response:
      "`{ id, name, message, status, query, savedViewName, dueAt, createdAt, createdBy, closedAt, closedBy, lastNudgedAt, asOf, progress, byOwner: { rows, groups }, byTeam: { rows, groups }, burndown: [{ day, open, ideal }], reviews: [{ id, identityId, identityName, environment, ownerLabel, ownerEmail, teamName, state (ATTESTED|PENDING|OVERDUE|CANCELLED), outcome, attestedBy, attestedAt, dueAt, trigger }] }`.",
  }),
  mutationRoute("POST", "/campaigns/{id}/nudge", nudgeCampaign, {
    summary: "Remind everyone late: one message per person with overdue reviews in the campaign (orphans' go to the security leads)",
    tag: "campaigns",
    pathParams: byId("campaignId"),
    response: "`{ id, name, overdueReviews, recipients, notified, orphanReviews }`.",
    conflict: "The campaign was nudged less than 24 hours ago, is closed, or has no overdue review.",
  }),
  mutationRoute("POST", "/campaigns/{id}/close", closeCampaign, {
    summary: "Close the campaign: its open reviews stay open and owed; its figures stay as they were at closing",
    tag: "campaigns",
    pathParams: byId("campaignId"),
    response: "The campaign, CLOSED, with `progress` at closing.",
    conflict: "The campaign is already closed.",
  }),
  queryRoute("/campaigns/{id}/report", "campaigns.report", "inventory:read", {
    summary:
      "The campaign's report as CSV (text/csv): one row per review (identity, environment, owner, team, status, outcome, attested by and at, due), or with `part=events` its audit events (needs `audit:read`). The download is audited",
    tag: "campaigns",
    pathParams: byId("id"),
    query: [reportQuery],
    response: "The CSV.",
  }),
  mutationRoute("POST", "/discovery/scans", submitScan, {
    summary:
      "Submit a scan report (what `npm run cli -- scan --report` writes, or `--submit` sends): the repository's findings are matched by fingerprint, so a rescan updates them, adds new ones and marks gone what it no longer finds. Snippets must carry no secret (a secret anywhere in the report is refused with a 422). `team` names the team whose members see the findings; moving a repository that has a team to another is for security leads and admins (403 otherwise). The body may be up to 8 MiB (other requests: 1 MiB)",
    tag: "discovery",
    status: 201,
    response:
      "`{ scan: { id, submittedAt, submittedBy, scanner, commit, filesSeen, filesRead, findingsTotal, findingsNew, findingsGone }, repository: { id, name, environment }, counts: { total, new, seenAgain, gone, flagged }, link }`; `flagged` counts registered or linked footprints that now reach beyond their identity's grants (each opens a change review).",
  }),
  queryRoute("/discovery/findings", "discovery.findings.list", "inventory:read", {
    summary:
      "The Discovered queue (`view=open`, the default) or its history (registered, linked, dismissed, gone, all): security leads, admins and auditors see every repository, others their team's",
    tag: "discovery",
    query: [findingListParams],
    response:
      "`{ data: [{ id, repository, environment, detector, severity, status, gone, tool, title, file, line, proposal: { kind, name, vendor, product, autonomy, permissions, capabilities } | null, identity, beyondGrants, firstSeenAt, lastSeenAt, goneAt, pendingRequestId }], total, page, pageSize }`: `pendingRequestId` is a registration of it waiting for approval.",
  }),
  queryRoute("/discovery/findings/{id}", "discovery.findings.get", "inventory:read", {
    summary:
      "One finding with its evidence (file, line, snippet with secrets masked), its proposal, its repository's last scans and any registration waiting for approval",
    tag: "discovery",
    pathParams: byId("id"),
    response:
      "The finding as in the list, plus `subject, snippet, details, fingerprint, decidedAt, decidedBy, dismissReason, flaggedAt, repositoryId, team: { id, name } | null, recentScans, pendingRequest`.",
  }),
  mutationRoute("POST", "/discovery/findings/{id}/register", registerFinding, {
    summary:
      "Register the tool the finding shows as a PROPOSED identity (its environment is the repository's) with the given `permissions` granted on the repository; sensitive like any registration, so it may answer 202 with an approval request",
    tag: "discovery",
    pathParams: byId("findingId"),
    status: 201,
    response: "`{ identity, findingId }`.",
    conflict: "The finding is already decided, is gone from its repository, or is a leaked secret (link or dismiss those).",
  }),
  mutationRoute("POST", "/discovery/findings/{id}/link", linkFinding, {
    summary: "Link the finding to an identity in service that the caller may manage (its owner, backup owner, security leads, admins)",
    tag: "discovery",
    pathParams: byId("findingId"),
    response:
      "`{ findingId, identityId, identityName, beyondGrants }`: permissions the footprint implies that the identity's grants on the repository do not cover.",
    conflict: "The finding is already decided or is gone from its repository.",
  }),
  mutationRoute("POST", "/discovery/findings/{id}/dismiss", dismissFinding, {
    summary: "Dismiss the finding with a `reason` (security leads and admins: a dismissal closes it for the discovery control)",
    tag: "discovery",
    pathParams: byId("findingId"),
    response: "`{ findingId, status }`.",
    conflict: "The finding is already decided.",
  }),
  mutationRoute("POST", "/discovery/findings/{id}/reopen", reopenFinding, {
    summary: "Reopen a dismissed finding (security leads and admins)",
    tag: "discovery",
    pathParams: byId("findingId"),
    response: "`{ findingId, status }`.",
    conflict: "The finding is not dismissed.",
  }),
  mutationRoute("POST", "/discovery/repositories/{id}/move", moveRepository, {
    summary:
      "Move a scanned repository to another team (`teamId`, with an optional `reason`): its findings are then seen by that team's members instead (security leads and admins; a finding's `repositoryId` names its repository). Later scans keep the team unless a security lead's or admin's scan names another",
    tag: "discovery",
    pathParams: byId("repositoryId"),
    response: "`{ repositoryId, repository, environment, team: { id, name } }`.",
    conflict: "The repository already belongs to that team.",
  }),
  queryRoute("/policies", "policies.list", "policies:read", {
    summary: "Versions of the runtime (Cedar) policies, newest first, and which is active",
    tag: "policies",
    response: "`{ versions: [{ id, number, note, createdAt, createdBy, activatedAt, activatedBy, active }] }`.",
  }),
  mutationRoute("POST", "/policies", createPolicyVersion, {
    summary: "Store a new version of the policies (Cedar text); it is checked against Warrant's schema and is not active yet",
    tag: "policies",
    status: 201,
    response: "`{ id, number, policies: [policy ids] }`. A 422 names each problem by line and column in `fields.text`.",
  }),
  queryRoute("/policies/{id}", "policies.get", "policies:read", {
    summary: "One version, with its text",
    tag: "policies",
    pathParams: byId("id"),
    response: "`{ id, number, text, note, createdAt, createdBy, activatedAt, activatedBy, active }`.",
  }),
  mutationRoute("POST", "/policies/{id}/activate", activatePolicyVersion, {
    summary: "Make this version the one that judges agents' requests (a change that needs approval)",
    tag: "policies",
    pathParams: byId("versionId"),
    response: "`{ id, number, activatedAt }` once applied.",
    conflict: "This version is already active.",
  }),
  queryRoute("/policies/{id}/replay", "policies.replay", "policies:read", {
    summary: "Replay this version against the decisions recorded in the last `days` days (default 7): what would change",
    tag: "policies",
    pathParams: byId("id"),
    query: [replayQuery],
    response:
      "`{ version, days, since, until, replayed, skipped, capped, changed, transitions, changes }`. The newest 10,000 decisions of the window are judged again, each on the Cedar request it was judged on then; `capped` says the window held more. `skipped` counts decisions stored before their request was kept. `changes` lists every decision whose outcome would change, newest first: `{ decision, before: { outcome, policyIds }, after: { outcome, policyIds, reasons } }`; `transitions` counts them by `allow → deny` and so on.",
  }),

  queryRoute("/decisions", "decisions.list", "policies:read", {
    summary: "Stored runtime decisions (the Decisions log), newest first",
    tag: "decisions",
    query: [decisionListQuery, cursorPageQuery],
    response:
      "`{ data: [...], nextCursor }`; each decision with `identity`, `action`, `resource` (`type` System or Tool, `id`, `name`), `outcome` (`allow`, `deny`, `require_approval`), `policyIds`, `reasons`, `latencyMicros`, `taskId`, `taskIntent`, `policyVersion`. Filters: `identity` (an identity's id), `outcome`, `action`, `resource` (a system's id or a tool's name), `policy` (a policy's @id among those that decided), `from` (inclusive) and `to` (exclusive; a date alone includes that whole UTC day), `q` (text in the identity's name, the tool's name, the task id or intent). `sort` (`createdAt` or `latency`) and `dir` (default `desc`).",
  }),
  queryRoute("/decisions/{id}", "decisions.get", "policies:read", {
    summary: "One decision with everything stored",
    tag: "decisions",
    pathParams: byId("id"),
    response:
      "The decision as listed, plus `argumentsHash` (SHA-256 of a tool call's canonical arguments), `credential` (`kind`, `id`) and `cedarRequest` (the principal, action, resource, context and entities judged; null for decisions stored before it was kept).",
  }),
  mutationRoute("POST", "/identities/{id}/agent-tokens", issueAgentToken, {
    summary: "Issue the identity an agent token for the runtime endpoints (authorize, access requests, events, Claude Code hooks)",
    tag: "runtime",
    pathParams: byId("identityId"),
    status: 201,
    response:
      "`{ credentialId, identityId, label, expiresAt, secret }`: the secret (wai_…) is in this answer only. The token is a credential of the identity; revoking that credential stops it.",
    conflict: "The identity is not active.",
  }),
  agentRoute("POST", "/authorize", "runtime.authorize", {
    summary: "Ask before acting: an action on a system, or a tool call, judged by the active policies",
    tag: "runtime",
    body: authorizeInput,
    response:
      "`{ decisionId, outcome: allow | deny | require_approval, policyIds, reasons, policyVersion }`; every decision is stored. " +
      "A require_approval also carries `approvalRequest` (bound to this exact call: once approved, the identical call is allowed once, " +
      "answered with `approvedBy`); the agent waits with `GET /approval-requests/{id}?wait=30` and its own token. A 422 names the field.",
  }),
  agentRoute("POST", "/hooks/claude-code/pre-tool-use", "runtime.claude-code.pre-tool-use", {
    summary: "Claude Code's PreToolUse hook input, as Claude Code sends it (HTTP hook, or scripts/warrant-hook.mjs)",
    tag: "runtime",
    body: preToolUseInput,
    response:
      "Always 200 with Claude Code's hook output: `{ hookSpecificOutput: { hookEventName: PreToolUse, permissionDecision: allow | deny | ask, permissionDecisionReason } }`. " +
      "A call waiting for approval is denied with the request's link; a call Warrant cannot judge (bad token or input) is denied with the reason.",
  }),
  agentRoute("POST", "/hooks/claude-code/post-tool-use", "runtime.claude-code.post-tool-use", {
    summary: "Claude Code's PostToolUse hook input: the call that ran, recorded in the activity log with the decision that allowed it",
    tag: "runtime",
    body: postToolUseInput,
    response:
      "`{ recorded: 1, flags: [kinds raised] }`. The decision is found by the tool_use_id its PreToolUse stored; a call no decision allowed is recorded and flagged. The tool's output is not kept.",
  }),
  agentRoute("POST", "/access-requests", "access.request", {
    summary: "Ask for just-in-time access to one system for one task (with the identity's agent token)",
    tag: "runtime",
    body: accessRequestInput(),
    status: 201,
    response:
      "201 `{ id, status: issued, token, tokenType, expiresAt, actions, systemId, taskId, decisionIds, … }` when the policies allow every action (the token, an EdDSA JWT verifiable at /.well-known/jwks.json, is in this answer only); 202 `{ id, status: pending_approval, approvalRequest }` when one needs a human's approval; 403 with the policies' reasons when one is denied. Default lifetime 15 minutes (`ttlMinutes`, at most WARRANT_JIT_MAX_TTL_MINUTES).",
  }),
  agentRoute("GET", "/access-requests/{id}", "access.get", {
    summary: "One of the identity's access requests; the first read after its approval hands out the token",
    tag: "runtime",
    pathParams: byId("accessGrantId"),
    response:
      "`{ id, status: pending_approval | issued | expired | completed | revoked | rejected | approval_expired | withdrawn | failed, token?, tokenDelivered, expiresAt, approvalRequest, … }`. Another identity's request is a 404.",
  }),
  agentRoute("POST", "/access-requests/{id}/complete", "access.complete", {
    summary: "The task is done: the token stops at once and its just-in-time grants end (agent token, or that task's own JIT token)",
    tag: "runtime",
    pathParams: byId("accessGrantId"),
    response: "The request with `status: completed`.",
    conflict: "The task was already completed, or its access revoked.",
  }),
  mutationRoute("POST", "/access-requests/{id}/revoke", revokeAccessGrant, {
    summary: "End an identity's just-in-time token now, or its request before approval (owner, backup owner, security leads, admins)",
    tag: "runtime",
    pathParams: byId("accessGrantId"),
    response: "`{ id, revokedAt, revokedReason }`; the token stops at once and its just-in-time grants end.",
    conflict: "Already completed, revoked or expired.",
  }),
  queryRoute("/identities/{id}/access-grants", "identities.access-grants", "inventory:read", {
    summary: "The identity's just-in-time access, newest first (the last 50)",
    tag: "runtime",
    pathParams: byId("identityId"),
    response:
      "`{ accessGrants: [{ id, state: pending_approval | not_issued | active | expired | completed | revoked, system, actions, taskId, taskIntent, ttlMinutes, approvalRequestId, createdAt, issuedAt, expiresAt, completedAt, revokedAt, revokedReason }] }`.",
  }),
  agentRoute("POST", "/events", "runtime.events", {
    summary: "Report tool calls, token uses and privileged actions: one event, or { events: [...] } of up to 1,000",
    tag: "runtime",
    body: eventsBody,
    status: 201,
    response:
      "`{ count, seqs, flags: [{ index, seq, kind, reason }] }`: the events' places in the activity chain and the flags raised on them. A batch is stored whole or not at all; a 422 names the event and field (`events.3.kind`).",
  }),
];

// ---- generation --------------------------------------------------------

/**
 * What a client sends ("input"): defaults make a field optional, preprocess
 * wrappers show the schema they feed. Dates are z.coerce.date, which JSON
 * Schema cannot express; on the wire they are ISO 8601 strings.
 */
function toJsonSchema(schema: z.ZodType): JsonSchema {
  const generated = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: ({ zodSchema }) => (zodSchema._zod.def.type === "date" ? { type: "string", format: "date-time" } : "throw"),
  }) as JsonSchema;
  delete generated.$schema;
  return generated;
}

const ERROR_CODES: Record<ErrorCode | "internal", string> = {
  bad_request: "The body is not a JSON object.",
  unauthenticated: "No valid API token.",
  forbidden: "The token's user or scopes do not allow this.",
  not_found: "No such record.",
  conflict: "The change conflicts with what exists.",
  validation_failed: "Fields are not valid; `fields` names each one.",
  payload_too_large: "The request body is over 1 MiB.",
  rate_limited: "Too many requests.",
  internal: "A bug on Warrant's side.",
};

const errorBody = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
    message: z.string().describe("A sentence a person can act on."),
    fields: z
      .record(z.string(), z.string())
      .optional()
      .describe('Field (dotted path) → what is wrong with it, e.g. { "expiresAt": "must be in the future" }.'),
  }),
});

/** Shared error responses, by name; a route's own 409 says when it happens. */
const ERROR_RESPONSES = {
  BadRequest: ERROR_CODES.bad_request,
  Unauthenticated: ERROR_CODES.unauthenticated,
  Forbidden: ERROR_CODES.forbidden,
  NotFound: ERROR_CODES.not_found,
  ValidationFailed: ERROR_CODES.validation_failed,
  PayloadTooLarge: ERROR_CODES.payload_too_large,
  RateLimited:
    "Too many requests from this token (or, without a valid token, from this address); the Retry-After header says how many seconds to wait.",
};

const errorContent = { "application/json": { schema: { $ref: "#/components/schemas/Error" } } };
const errorRef = (name: keyof typeof ERROR_RESPONSES) => ({ $ref: `#/components/responses/${name}` });

/** A body schema without the fields the path fills. */
function withoutFields(schema: JsonSchema, fields: string[]): JsonSchema {
  const { properties = {}, required = [], ...rest } = schema as { properties?: Record<string, JsonSchema>; required?: string[] };
  const stillRequired = required.filter((field) => !fields.includes(field));
  return {
    ...rest,
    properties: Object.fromEntries(Object.entries(properties).filter(([field]) => !fields.includes(field))),
    ...(stillRequired.length > 0 ? { required: stillRequired } : {}),
  };
}

function queryParameters(schemas: z.ZodObject[]) {
  return schemas.flatMap((schema) => {
    const json = toJsonSchema(schema);
    const required = new Set((json.required as string[] | undefined) ?? []);
    return Object.entries((json.properties ?? {}) as Record<string, JsonSchema>).map(([name, property]) => {
      const { description, ...propertySchema } = property;
      const isList = propertySchema.type === "array";
      return {
        name,
        in: "query",
        required: required.has(name),
        schema: propertySchema,
        ...(isList ? { style: "form", explode: true } : {}),
        ...(description || isList
          ? {
              description: [description, isList ? "Repeat the parameter or separate values with commas; any value matches." : undefined]
                .filter(Boolean)
                .join(" "),
            }
          : {}),
      };
    });
  });
}

function operation(route: ApiRoute) {
  const pathFields = Object.values(route.pathParams ?? {});
  // A runtime body can be a union (authorize: an action or a tool call), documented whole.
  const generated =
    route.body && route.method !== "GET"
      ? route.agent
        ? toJsonSchema(route.body)
        : withoutFields(toJsonSchema(route.body), [...pathFields, ...(route.bodyOmits ?? [])])
      : undefined;
  const body =
    generated && route.mayNeedApproval
      ? {
          ...generated,
          properties: {
            ...(generated.properties as object),
            justification: {
              type: "string",
              maxLength: 2000,
              description: "Why the change is needed; required when it is a sensitive change (it then becomes an approval request).",
            },
          },
        }
      : generated;
  const hasBody = body !== undefined && (route.agent || Object.keys(body.properties as object).length > 0);
  const scope = route.permission?.endsWith(":read") ? "read (or write)" : "write";

  const responses: Record<string, unknown> = {
    [String(route.status ?? 200)]: { description: route.response, content: { "application/json": { schema: { type: "object" } } } },
  };
  if (route.permission || route.agent) {
    responses["401"] = errorRef("Unauthenticated");
    responses["403"] = errorRef("Forbidden");
    responses["429"] = errorRef("RateLimited");
  }
  if (route.body) {
    responses["400"] = errorRef("BadRequest");
    responses["413"] = errorRef("PayloadTooLarge");
  }
  if (route.body || route.query) responses["422"] = errorRef("ValidationFailed");
  if (route.pathParams) responses["404"] = errorRef("NotFound");
  if (route.conflict) {
    responses["409"] = { description: route.conflict, content: errorContent };
  }
  if (route.mayNeedApproval) {
    responses["202"] = {
      description:
        "A sensitive change: nothing changed yet. `{ approvalRequest: { id, status, summary, reason, rule, expiresAt, link } }`; it is applied once its rule's levels approve. 409 when the same change is already waiting.",
      content: { "application/json": { schema: { type: "object" } } },
    };
  }

  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    ...(route.agent
      ? {
          description:
            "Called by an AI identity: send its agent token (`Bearer wai_…`, issued on the identity) or a just-in-time token. People's API tokens are refused (401).",
          security: [{ agentAuth: [] }],
        }
      : route.refusedToApiTokens
        ? { description: route.refusedToApiTokens, "x-permission": route.permission }
        : route.permission
          ? {
              description: `Needs the \`${route.permission}\` permission; an API token needs the ${scope} scope.`,
              "x-permission": route.permission,
            }
          : { description: "Public: no token needed.", security: [] }),
    parameters: [
      ...Object.entries(route.pathParams ?? {}).map(([name, field]) => ({
        name,
        in: "path",
        required: true,
        schema: { type: "string", minLength: 1 },
        description: `The ${field.replace(/Id$/, "")}'s id.`,
      })),
      ...queryParameters(route.query ?? []),
      ...(route.method !== "GET" && route.permission
        ? [
            {
              name: "dryRun",
              in: "query",
              required: false,
              schema: { type: "string", enum: ["1"] },
              description: "1 = validate, authorize and run the change, answer with its result, then roll it back.",
            },
          ]
        : []),
    ],
    ...(hasBody
      ? {
          requestBody: {
            required: ((body.required as string[] | undefined) ?? []).length > 0,
            content: { "application/json": { schema: body } },
          },
        }
      : {}),
    responses,
  };
}

function buildDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of API_ROUTES) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Warrant API",
      version: "1.0.0",
      description:
        "Warrant's machine API: the AI-identity inventory, users, API tokens and the audit log. JSON in and out; " +
        "send `Authorization: Bearer wrt_…` (tokens are created on the Admin page or with the CLI). Errors are " +
        '`{"error": {"code", "message", "fields"}}`. Warrant never stores secrets: a field that looks like one is refused with 422.',
    },
    servers: [{ url: "/api/v1" }],
    security: [{ bearerAuth: [] }],
    tags: [...new Set(API_ROUTES.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "wrt_…",
          description: "A Warrant API token, scoped read, write or agent.",
        },
        agentAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "wai_… or JWT",
          description: "An AI identity's agent token, or a just-in-time token issued to it.",
        },
      },
      schemas: { Error: toJsonSchema(errorBody) },
      responses: Object.fromEntries(
        Object.entries(ERROR_RESPONSES).map(([name, description]) => [name, { description, content: errorContent }]),
      ),
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildDocument>;

let cached: OpenApiDocument | undefined;

/** Built once per process: the schemas do not change while it runs. */
export function openApiDocument(): OpenApiDocument {
  return (cached ??= buildDocument());
}
