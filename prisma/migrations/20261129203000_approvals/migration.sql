CREATE TYPE "ApprovalStatus" AS ENUM ('PENDING', 'APPLIED', 'REJECTED', 'EXPIRED', 'WITHDRAWN', 'FAILED');

-- CreateEnum
CREATE TYPE "ApprovalVerdict" AS ENUM ('APPROVE', 'REJECT');

-- AlterTable
ALTER TABLE "System" ADD COLUMN     "backupOwnerId" TEXT,
ADD COLUMN     "ownerId" TEXT;

-- CreateTable
CREATE TABLE "ApprovalRule" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "levels" JSONB NOT NULL,
    "expiryHours" INTEGER NOT NULL DEFAULT 72,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ApprovalRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApprovalCatalogEntry" (
    "key" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "ruleId" TEXT NOT NULL,
    "maxDays" INTEGER,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ApprovalCatalogEntry_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "ApprovalRequest" (
    "id" TEXT NOT NULL,
    "status" "ApprovalStatus" NOT NULL DEFAULT 'PENDING',
    "mutation" TEXT NOT NULL,
    "input" JSONB NOT NULL,
    "inputHash" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "changes" JSONB NOT NULL,
    "catalogKey" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "levels" JSONB NOT NULL,
    "requesterId" TEXT NOT NULL,
    "requestedViaTokenId" TEXT,
    "justification" TEXT NOT NULL,
    "identityId" TEXT,
    "systemId" TEXT,
    "riskBefore" "RiskTier",
    "riskAfter" "RiskTier",
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMPTZ(3),
    "outcome" TEXT,
    "breakGlass" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "ApprovalRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApprovalDecision" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "deciderId" TEXT NOT NULL,
    "verdict" "ApprovalVerdict" NOT NULL,
    "comment" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApprovalDecision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalRule_key_key" ON "ApprovalRule"("key");

-- CreateIndex
CREATE INDEX "ApprovalRequest_status_createdAt_id_idx" ON "ApprovalRequest"("status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ApprovalRequest_status_expiresAt_idx" ON "ApprovalRequest"("status", "expiresAt");

-- CreateIndex
CREATE INDEX "ApprovalRequest_requesterId_createdAt_id_idx" ON "ApprovalRequest"("requesterId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ApprovalRequest_identityId_createdAt_idx" ON "ApprovalRequest"("identityId", "createdAt");

-- CreateIndex
CREATE INDEX "ApprovalRequest_inputHash_status_idx" ON "ApprovalRequest"("inputHash", "status");

-- CreateIndex
CREATE INDEX "ApprovalDecision_deciderId_createdAt_idx" ON "ApprovalDecision"("deciderId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalDecision_requestId_deciderId_key" ON "ApprovalDecision"("requestId", "deciderId");

-- AddForeignKey
ALTER TABLE "System" ADD CONSTRAINT "System_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "System" ADD CONSTRAINT "System_backupOwnerId_fkey" FOREIGN KEY ("backupOwnerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalCatalogEntry" ADD CONSTRAINT "ApprovalCatalogEntry_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "ApprovalRule"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "ApprovalRule"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "AiIdentity"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_systemId_fkey" FOREIGN KEY ("systemId") REFERENCES "System"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalDecision" ADD CONSTRAINT "ApprovalDecision_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "ApprovalRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalDecision" ADD CONSTRAINT "ApprovalDecision_deciderId_fkey" FOREIGN KEY ("deciderId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- The default rules and catalog (issue 9): every kind of sensitive change is
-- on, decided by a security lead; access to a system also needs its owner.
-- Security leads change all of this in the browser (itself a sensitive change).
INSERT INTO "ApprovalRule" ("id", "key", "name", "description", "levels", "expiryHours", "updatedAt") VALUES
  ('rule_security_lead', 'security-lead', 'A security lead',
   'One security lead (not the requester) approves.',
   '[{"name": "Security lead", "approvers": {"kind": "role", "role": "SECURITY_LEAD"}, "required": 1}]', 72, CURRENT_TIMESTAMP),
  ('rule_lead_and_system_owner', 'security-lead-and-system-owner', 'A security lead and the system''s owner',
   'A security lead approves, then the owner (or backup owner) of the system the access is for.',
   '[{"name": "Security lead", "approvers": {"kind": "role", "role": "SECURITY_LEAD"}, "required": 1}, {"name": "System owner", "approvers": {"kind": "system_owner"}, "required": 1}]', 72, CURRENT_TIMESTAMP);

INSERT INTO "ApprovalCatalogEntry" ("key", "enabled", "ruleId", "maxDays", "updatedAt") VALUES
  ('grant.sensitive', true, 'rule_lead_and_system_owner', NULL, CURRENT_TIMESTAMP),
  ('credential.long_lived', true, 'rule_security_lead', 90, CURRENT_TIMESTAMP),
  ('identity.autonomy_raised', true, 'rule_security_lead', NULL, CURRENT_TIMESTAMP),
  ('identity.expiry_extended', true, 'rule_security_lead', 180, CURRENT_TIMESTAMP),
  ('identity.reactivated', true, 'rule_security_lead', NULL, CURRENT_TIMESTAMP),
  ('user.privileged_role', true, 'rule_security_lead', NULL, CURRENT_TIMESTAMP),
  ('approvals.rules_changed', true, 'rule_security_lead', NULL, CURRENT_TIMESTAMP);
