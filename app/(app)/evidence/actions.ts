"use server";

import { mutationAction } from "@/lib/auth/action";
import { requestEvidencePackage } from "@/lib/evidence/requests";

export const requestPackageAction = mutationAction(requestEvidencePackage, {
  success: (evidencePackage) =>
    `Building the package for ${evidencePackage.periodFrom.toISOString().slice(0, 10)} to ${evidencePackage.periodTo.toISOString().slice(0, 10)}: it appears below when ready.`,
  revalidate: "/evidence",
});
