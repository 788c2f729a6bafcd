-- CreateEnum
CREATE TYPE "ReviewStatus" AS ENUM ('OPEN', 'COMPLETED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "ReviewTrigger" AS ENUM ('SCHEDULED', 'MANUAL');

-- CreateEnum
CREATE TYPE "ReviewOutcome" AS ENUM ('KEEP', 'REDUCE', 'RETIRE');

-- CreateTable
CREATE TABLE "Review" (
    "id" TEXT NOT NULL,
    "identityId" TEXT NOT NULL,
    "status" "ReviewStatus" NOT NULL DEFAULT 'OPEN',
    "trigger" "ReviewTrigger" NOT NULL,
    "reason" TEXT,
    "openedById" TEXT,
    "openedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "stillNeeded" BOOLEAN,
    "purposeUnchanged" BOOLEAN,
    "permissionsMinimal" BOOLEAN,
    "credentialsRotated" BOOLEAN,
    "outcome" "ReviewOutcome",
    "comment" TEXT,
    "attestedById" TEXT,
    "closedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Review_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Review_identityId_status_idx" ON "Review"("identityId", "status");

-- CreateIndex
CREATE INDEX "Review_status_dueAt_idx" ON "Review"("status", "dueAt");

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "AiIdentity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_openedById_fkey" FOREIGN KEY ("openedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_attestedById_fkey" FOREIGN KEY ("attestedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

