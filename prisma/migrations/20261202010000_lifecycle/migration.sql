-- Lifecycle (issue 12): change-triggered and campaign reviews, credentials flagged for rotation,
-- review campaigns, people's notification choices, the exactly-once notice ledger, digests, identity templates.

-- CreateEnum
CREATE TYPE "CampaignStatus" AS ENUM ('OPEN', 'CLOSED');

-- CreateEnum
CREATE TYPE "NotificationDelivery" AS ENUM ('EMAIL', 'DIGEST', 'NONE');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "ReviewTrigger" ADD VALUE 'CHANGE';
ALTER TYPE "ReviewTrigger" ADD VALUE 'CAMPAIGN';

-- AlterTable
ALTER TABLE "AiIdentity" ADD COLUMN     "templateId" TEXT,
ADD COLUMN     "templateVersion" INTEGER;

-- AlterTable
ALTER TABLE "Credential" ADD COLUMN     "rotationRequiredAt" TIMESTAMPTZ(3),
ADD COLUMN     "rotationRequiredReason" TEXT;

-- AlterTable
ALTER TABLE "Review" ADD COLUMN     "campaignId" TEXT,
ADD COLUMN     "changes" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "handoverFromId" TEXT;

-- CreateTable
CREATE TABLE "ReviewCampaign" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "savedViewName" TEXT,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "status" "CampaignStatus" NOT NULL DEFAULT 'OPEN',
    "identityCount" INTEGER NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMPTZ(3),
    "closedById" TEXT,
    "lastNudgedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ReviewCampaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationPreference" (
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "delivery" "NotificationDelivery" NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "NotificationPreference_pkey" PRIMARY KEY ("userId","kind")
);

-- CreateTable
CREATE TABLE "LifecycleNotice" (
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "identityId" TEXT,
    "reviewId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LifecycleNotice_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "DigestEntry" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "noticeKey" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "link" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "digestedAt" TIMESTAMPTZ(3),

    CONSTRAINT "DigestEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdentityTemplate" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "kind" "IdentityKind" NOT NULL,
    "vendor" TEXT,
    "product" TEXT,
    "model" TEXT,
    "environment" "Environment" NOT NULL,
    "autonomy" "Autonomy" NOT NULL,
    "teamId" TEXT,
    "reviewCadenceDays" INTEGER,
    "lifetimeDays" INTEGER NOT NULL,
    "grants" JSONB NOT NULL DEFAULT '[]',
    "version" INTEGER NOT NULL DEFAULT 1,
    "archivedAt" TIMESTAMPTZ(3),
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "IdentityTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReviewCampaign_status_createdAt_idx" ON "ReviewCampaign"("status", "createdAt");

-- CreateIndex
CREATE INDEX "LifecycleNotice_identityId_idx" ON "LifecycleNotice"("identityId");

-- CreateIndex
CREATE INDEX "DigestEntry_digestedAt_userId_idx" ON "DigestEntry"("digestedAt", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "DigestEntry_userId_noticeKey_key" ON "DigestEntry"("userId", "noticeKey");

-- CreateIndex
CREATE UNIQUE INDEX "IdentityTemplate_name_key" ON "IdentityTemplate"("name");

-- CreateIndex
CREATE INDEX "AiIdentity_templateId_idx" ON "AiIdentity"("templateId");

-- CreateIndex
CREATE INDEX "Review_campaignId_status_idx" ON "Review"("campaignId", "status");

-- AddForeignKey
ALTER TABLE "AiIdentity" ADD CONSTRAINT "AiIdentity_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "IdentityTemplate"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_handoverFromId_fkey" FOREIGN KEY ("handoverFromId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "ReviewCampaign"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewCampaign" ADD CONSTRAINT "ReviewCampaign_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewCampaign" ADD CONSTRAINT "ReviewCampaign_closedById_fkey" FOREIGN KEY ("closedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationPreference" ADD CONSTRAINT "NotificationPreference_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DigestEntry" ADD CONSTRAINT "DigestEntry_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IdentityTemplate" ADD CONSTRAINT "IdentityTemplate_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IdentityTemplate" ADD CONSTRAINT "IdentityTemplate_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

