// The policies a new Warrant starts with: the guidance security teams give
// for AI coding tools, written as Cedar. Every policy has an @id (shown in
// decisions and kept stable across versions) and a @reason (the sentence a
// denied agent and its owner read). A forbid marked
// @decision("require_approval") asks a human instead of refusing: the call
// is allowed once someone approves that exact call (context.humanApproved).
//
// Everything is permitted unless a forbid matches, and "grant-required"
// forbids any action on a system that no live grant covers, so access still
// comes only from grants. As in the inventory, read, write, deploy and admin
// are separate grants: none implies another.

export const DEFAULT_POLICIES = `@id("baseline")
@reason("Identities act within their grants and the policies below.")
permit (principal, action, resource);

@id("identity-not-active")
@reason("Only an active identity may act: this one is suspended, expired, revoked, retired or not yet approved.")
forbid (principal, action, resource)
unless { principal.status == "ACTIVE" };

@id("non-prod-never-touches-prod")
@reason("A development or staging identity never acts on production.")
forbid (principal, action, resource)
when {
  principal.environment != "PROD" &&
  ((resource is System && resource.environment == "PROD") ||
   (context has targetEnvironment && context.targetEnvironment == "PROD"))
};

@id("grant-required")
@reason("No live grant of this identity covers this action on this system.")
forbid (principal, action in [Action::"read", Action::"write", Action::"deploy", Action::"admin"], resource)
unless {
  (action == Action::"read" && context.grantedPermissions.contains("READ")) ||
  (action == Action::"write" && context.grantedPermissions.contains("WRITE")) ||
  (action == Action::"deploy" && context.grantedPermissions.contains("DEPLOY")) ||
  (action == Action::"admin" && context.grantedPermissions.contains("ADMIN"))
};

@id("overdue-review-blocks-changes")
@reason("This identity's access review is overdue: it may read, but not write or deploy, until its owner attests.")
forbid (principal, action in [Action::"write", Action::"deploy"], resource)
when { principal.reviewOverdue };

@id("deploy-needs-approval")
@decision("require_approval")
@reason("Deploying needs a human's approval of this exact call.")
forbid (principal, action == Action::"deploy", resource)
unless { context.humanApproved };

@id("restricted-write-needs-approval")
@decision("require_approval")
@reason("Writing to a restricted system needs a human's approval of this exact call.")
forbid (principal, action == Action::"write", resource)
when { resource.sensitivity == "RESTRICTED" }
unless { context.humanApproved };

@id("admin-needs-approval")
@decision("require_approval")
@reason("Administrative actions always need a human's approval of this exact call.")
forbid (principal, action == Action::"admin", resource)
unless { context.humanApproved };

@id("destructive-shell-needs-approval")
@decision("require_approval")
@reason("This shell command is destructive (recursive delete of the root or home, force push, infrastructure destroy): a human must approve it.")
forbid (principal, action == Action::"call_tool", resource)
when {
  context has tool && context.tool has command &&
  (context.tool.command like "*rm -rf /" ||
   context.tool.command like "*rm -rf / *" ||
   context.tool.command like "*rm -rf /\\**" ||
   context.tool.command like "*rm -rf ~*" ||
   context.tool.command like "*rm -fr /" ||
   context.tool.command like "*rm -fr / *" ||
   context.tool.command like "*git push*--force*" ||
   context.tool.command like "*git push* -f*" ||
   context.tool.command like "*terraform destroy*" ||
   context.tool.command like "*terraform apply*-destroy*")
}
unless { context.humanApproved };
`;
