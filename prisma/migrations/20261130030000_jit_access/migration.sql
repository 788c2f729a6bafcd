-- Just-in-time access (issue 10): signing keys, access grants (one per request and its token),
-- and the link from a JUST_IN_TIME grant to the token it came with.
-- CreateTable
CREATE TABLE "SigningKey" (
    "id" TEXT NOT NULL,
    "publicJwk" JSONB NOT NULL,
    "privateKey" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" TIMESTAMPTZ(3),

    CONSTRAINT "SigningKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccessGrant" (
    "id" TEXT NOT NULL,
    "jti" TEXT NOT NULL,
    "identityId" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "systemId" TEXT NOT NULL,
    "permissions" "Permission"[],
    "taskId" TEXT,
    "taskIntent" TEXT NOT NULL,
    "ttlMinutes" INTEGER NOT NULL,
    "requestedWith" TEXT NOT NULL,
    "decisionIds" TEXT[],
    "approvalRequestId" TEXT,
    "issuedAt" TIMESTAMPTZ(3),
    "expiresAt" TIMESTAMPTZ(3),
    "deliveredAt" TIMESTAMPTZ(3),
    "signingKeyId" TEXT,
    "completedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),
    "revokedReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccessGrant_pkey" PRIMARY KEY ("id")
);

-- AlterTable
ALTER TABLE "Grant" ADD COLUMN "accessGrantId" TEXT;

-- CreateIndex
CREATE INDEX "SigningKey_retiredAt_idx" ON "SigningKey"("retiredAt");

-- CreateIndex
CREATE UNIQUE INDEX "AccessGrant_jti_key" ON "AccessGrant"("jti");

-- CreateIndex
CREATE UNIQUE INDEX "AccessGrant_approvalRequestId_key" ON "AccessGrant"("approvalRequestId");

-- CreateIndex
CREATE INDEX "AccessGrant_identityId_createdAt_idx" ON "AccessGrant"("identityId", "createdAt");

-- CreateIndex
CREATE INDEX "AccessGrant_systemId_idx" ON "AccessGrant"("systemId");

-- CreateIndex
CREATE INDEX "Grant_accessGrantId_idx" ON "Grant"("accessGrantId");

-- AddForeignKey
ALTER TABLE "Grant" ADD CONSTRAINT "Grant_accessGrantId_fkey" FOREIGN KEY ("accessGrantId") REFERENCES "AccessGrant"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessGrant" ADD CONSTRAINT "AccessGrant_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "AiIdentity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessGrant" ADD CONSTRAINT "AccessGrant_systemId_fkey" FOREIGN KEY ("systemId") REFERENCES "System"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessGrant" ADD CONSTRAINT "AccessGrant_signingKeyId_fkey" FOREIGN KEY ("signingKeyId") REFERENCES "SigningKey"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A JIT request that policy marks for approval waits for a security lead, like every sensitive change.
INSERT INTO "ApprovalCatalogEntry" ("key", "enabled", "ruleId", "maxDays", "updatedAt") VALUES
  ('access.issue', true, 'rule_security_lead', NULL, CURRENT_TIMESTAMP);
