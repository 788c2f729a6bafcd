-- The Decisions log's filters and sorts, and the Cedar request kept for replaying a policy change (issue 10).
-- AlterTable
ALTER TABLE "PolicyDecision" ADD COLUMN     "cedarRequest" JSONB;

-- CreateIndex
CREATE INDEX "PolicyDecision_outcome_createdAt_id_idx" ON "PolicyDecision"("outcome", "createdAt", "id");

-- CreateIndex
CREATE INDEX "PolicyDecision_action_createdAt_id_idx" ON "PolicyDecision"("action", "createdAt", "id");

-- CreateIndex
CREATE INDEX "PolicyDecision_resourceId_createdAt_id_idx" ON "PolicyDecision"("resourceId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "PolicyDecision_latencyMicros_id_idx" ON "PolicyDecision"("latencyMicros", "id");

-- CreateIndex
CREATE INDEX "PolicyDecision_policyIds_idx" ON "PolicyDecision" USING GIN ("policyIds");

-- CreateIndex
CREATE INDEX "PolicyDecision_taskIntent_trgm_idx" ON "PolicyDecision" USING GIN ("taskIntent" gin_trgm_ops);
