-- Stored answers of the runtime policies (issue 10).
-- CreateEnum
CREATE TYPE "DecisionOutcome" AS ENUM ('ALLOW', 'DENY', 'REQUIRE_APPROVAL');

-- CreateTable
CREATE TABLE "PolicyDecision" (
    "id" TEXT NOT NULL,
    "identityId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "resourceType" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "argumentsHash" TEXT,
    "taskId" TEXT,
    "taskIntent" TEXT,
    "outcome" "DecisionOutcome" NOT NULL,
    "policyIds" TEXT[],
    "reasons" TEXT[],
    "policyVersionId" TEXT NOT NULL,
    "credentialKind" TEXT NOT NULL,
    "credentialId" TEXT NOT NULL,
    "humanApproved" BOOLEAN NOT NULL DEFAULT false,
    "latencyMicros" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PolicyDecision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PolicyDecision_identityId_createdAt_idx" ON "PolicyDecision"("identityId", "createdAt");

-- CreateIndex
CREATE INDEX "PolicyDecision_createdAt_idx" ON "PolicyDecision"("createdAt");

-- AddForeignKey
ALTER TABLE "PolicyDecision" ADD CONSTRAINT "PolicyDecision_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "AiIdentity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PolicyDecision" ADD CONSTRAINT "PolicyDecision_policyVersionId_fkey" FOREIGN KEY ("policyVersionId") REFERENCES "PolicyVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

