import type { AnyMutation } from "@/lib/auth/mutation";
import { createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { issueAgentToken } from "@/lib/auth/agent";
import { createUser, deactivateUser, reactivateUser, setUserRoles } from "@/lib/users/mutations";
import {
  activateIdentity,
  createIdentity,
  reactivateIdentity,
  retireIdentity,
  suspendIdentity,
  updateIdentity,
} from "@/lib/inventory/identities";
import { confirmSystemSensitivity, createSystem, updateSystem } from "@/lib/inventory/systems";
import { createGrant, revokeGrant } from "@/lib/inventory/grants";
import { createCredential, revokeCredential, rotateCredential } from "@/lib/inventory/credentials";
import { bulkUpdateIdentities } from "@/lib/inventory/bulk";
import { createSavedView, deleteSavedView } from "@/lib/inventory/saved-views";
import { importIdentities } from "@/lib/inventory/csv-import";
import { attestReview, openReview } from "@/lib/reviews/reviews";
import { openDueReviewsBatch } from "@/lib/reviews/due";
import { expireDueIdentitiesBatch } from "@/lib/inventory/expiry";
import { suspendOverdueIdentitiesBatch } from "@/lib/reviews/overdue";
import { breakGlassApprovalRequest, decideApprovalRequest, expireDueRequestsBatch, withdrawApprovalRequest } from "@/lib/approvals/decide";
import { updateApprovalRule, updateCatalogEntry } from "@/lib/approvals/settings";
import { createWebhook, deactivateWebhook, deleteWebhook, retryNotification } from "@/lib/notifications/webhooks";
import { activatePolicyVersion, createPolicyVersion, installDefaultPolicies } from "@/lib/policy/store";
import { collectAccessToken, completeAccessGrant, issueAccessGrant, openAccessGrant } from "@/lib/access/requests";
import { rotateSigningKey } from "@/lib/access/keys";
import { revokeAccessGrant } from "@/lib/access/grants";
import { allowCallOnce } from "@/lib/policy/bound-approval";
import { addRequirement, importOscalFramework } from "@/lib/controls/framework-import";
import { runControls } from "@/lib/controls/run";
import { requestEvidencePackage } from "@/lib/evidence/requests";
import { addControlException, mapControl, revokeControlException } from "@/lib/controls/exceptions";
import { updateLifecycleSettings } from "@/lib/lifecycle/settings";
import { sendNoticesBatch } from "@/lib/lifecycle/sweep";
import { sendDigestsBatch } from "@/lib/lifecycle/digest";
import { setNotificationPreferences } from "@/lib/lifecycle/preferences";
import { startCampaign } from "@/lib/campaigns/start";
import { closeCampaign, nudgeCampaign } from "@/lib/campaigns/manage";
import { archiveTemplate, createTemplate, updateTemplate } from "@/lib/templates/templates";
import { registerFromTemplate } from "@/lib/templates/register";
import { submitScan } from "@/lib/discovery/ingest";
import { dismissFinding, linkFinding, registerFinding, reopenFinding } from "@/lib/discovery/decide";
import { moveRepository } from "@/lib/discovery/repositories";

// Every mutation Warrant has, in one list. Tests walk it to prove that each one
// refuses anonymous callers and auditors and writes nothing when it does; a
// test also fails if a defineMutation() somewhere is missing from this list.
export const allMutations: AnyMutation[] = [
  submitScan,
  registerFinding,
  linkFinding,
  dismissFinding,
  reopenFinding,
  moveRepository,
  updateLifecycleSettings,
  sendNoticesBatch,
  sendDigestsBatch,
  setNotificationPreferences,
  createUser,
  setUserRoles,
  deactivateUser,
  reactivateUser,
  createApiToken,
  revokeApiToken,
  createIdentity,
  updateIdentity,
  suspendIdentity,
  activateIdentity,
  reactivateIdentity,
  retireIdentity,
  createSystem,
  updateSystem,
  confirmSystemSensitivity,
  createGrant,
  revokeGrant,
  createCredential,
  rotateCredential,
  revokeCredential,
  issueAgentToken,
  bulkUpdateIdentities,
  createSavedView,
  deleteSavedView,
  importIdentities,
  openReview,
  attestReview,
  openDueReviewsBatch,
  expireDueIdentitiesBatch,
  suspendOverdueIdentitiesBatch,
  decideApprovalRequest,
  withdrawApprovalRequest,
  breakGlassApprovalRequest,
  expireDueRequestsBatch,
  updateApprovalRule,
  updateCatalogEntry,
  createWebhook,
  deactivateWebhook,
  deleteWebhook,
  retryNotification,
  createPolicyVersion,
  activatePolicyVersion,
  installDefaultPolicies,
  openAccessGrant,
  issueAccessGrant,
  collectAccessToken,
  completeAccessGrant,
  revokeAccessGrant,
  rotateSigningKey,
  allowCallOnce,
  importOscalFramework,
  addRequirement,
  runControls,
  addControlException,
  revokeControlException,
  mapControl,
  requestEvidencePackage,
  startCampaign,
  nudgeCampaign,
  closeCampaign,
  createTemplate,
  updateTemplate,
  archiveTemplate,
  registerFromTemplate,
];
