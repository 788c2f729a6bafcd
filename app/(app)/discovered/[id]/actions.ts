"use server";

import { mutationAction } from "@/lib/auth/action";
import { dismissFinding, linkFinding, registerFinding, reopenFinding } from "@/lib/discovery/decide";
import { moveRepository } from "@/lib/discovery/repositories";

// No revalidation: a registration sent for approval would re-render the page
// without the form (the finding now has a pending request), taking away the
// message that links the request; a registration applied at once opens the
// new identity's page instead.
export const registerFindingAction = mutationAction(registerFinding, {
  success: (result) => `Registered ${result.identity.name} as a proposed identity.`,
  returnResult: true,
});

export const linkFindingAction = mutationAction(linkFinding, {
  success: (result) =>
    `Linked to ${result.identityName}.` +
    (result.beyondGrants.length > 0 ? ` The footprint reaches beyond its grants: ${result.beyondGrants.join(", ")}.` : ""),
  revalidate: "/discovered",
});

export const dismissFindingAction = mutationAction(dismissFinding, {
  success: () => "Dismissed.",
  revalidate: "/discovered",
});

export const reopenFindingAction = mutationAction(reopenFinding, {
  success: () => "Reopened: the finding is back in the queue.",
  revalidate: "/discovered",
});

export const moveRepositoryAction = mutationAction(moveRepository, {
  success: (result) => `Moved ${result.repository} to ${result.team.name}: its findings are now that team's.`,
  revalidate: "/discovered",
});
