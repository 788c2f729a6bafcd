-- An agent's call that needs approval becomes a request bound to that exact call (identity, action,
-- resource, arguments hash); once approved, the identical call is allowed once (ApprovedCall).
-- AlterTable
ALTER TABLE "PolicyDecision" ADD COLUMN     "approvalRequestId" TEXT;

-- CreateTable
CREATE TABLE "ApprovedCall" (
    "id" TEXT NOT NULL,
    "approvalRequestId" TEXT NOT NULL,
    "identityId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "argumentsHash" TEXT,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "consumedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApprovedCall_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ApprovedCall_approvalRequestId_key" ON "ApprovedCall"("approvalRequestId");

-- CreateIndex
CREATE INDEX "ApprovedCall_identityId_action_resourceId_idx" ON "ApprovedCall"("identityId", "action", "resourceId");

-- AddForeignKey
ALTER TABLE "PolicyDecision" ADD CONSTRAINT "PolicyDecision_approvalRequestId_fkey" FOREIGN KEY ("approvalRequestId") REFERENCES "ApprovalRequest"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovedCall" ADD CONSTRAINT "ApprovedCall_approvalRequestId_fkey" FOREIGN KEY ("approvalRequestId") REFERENCES "ApprovalRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovedCall" ADD CONSTRAINT "ApprovedCall_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "AiIdentity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- A tool call or action the policies mark require_approval waits for a security lead.
INSERT INTO "ApprovalCatalogEntry" ("key", "enabled", "ruleId", "maxDays", "updatedAt") VALUES
  ('runtime.call', true, 'rule_security_lead', NULL, CURRENT_TIMESTAMP);
