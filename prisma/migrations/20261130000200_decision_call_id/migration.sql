-- A decision keeps the client's id for the call (Claude Code's tool_use_id): the PostToolUse report finds it by that.
-- AlterTable
ALTER TABLE "PolicyDecision" ADD COLUMN     "callId" TEXT;

-- CreateIndex
CREATE INDEX "PolicyDecision_identityId_callId_idx" ON "PolicyDecision"("identityId", "callId");

