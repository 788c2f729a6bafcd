-- CreateEnum
CREATE TYPE "FindingStatus" AS ENUM ('OPEN', 'REGISTERED', 'LINKED', 'DISMISSED');

-- CreateEnum
CREATE TYPE "FindingSeverity" AS ENUM ('LOW', 'MEDIUM', 'HIGH');

-- CreateTable
CREATE TABLE "DiscoveryRepository" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "environment" "Environment" NOT NULL,
    "teamId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastScanAt" TIMESTAMPTZ(3),

    CONSTRAINT "DiscoveryRepository_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DiscoveryScan" (
    "id" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
    "submittedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submittedBy" TEXT NOT NULL,
    "scanner" TEXT NOT NULL,
    "commit" TEXT,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "filesSeen" INTEGER NOT NULL,
    "filesRead" INTEGER NOT NULL,
    "findingsTotal" INTEGER NOT NULL,
    "findingsNew" INTEGER NOT NULL,
    "findingsGone" INTEGER NOT NULL,

    CONSTRAINT "DiscoveryScan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DiscoveryFinding" (
    "id" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
    "detector" TEXT NOT NULL,
    "severity" "FindingSeverity" NOT NULL,
    "tool" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "file" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "snippet" TEXT NOT NULL,
    "proposal" JSONB,
    "details" JSONB NOT NULL DEFAULT '{}',
    "status" "FindingStatus" NOT NULL DEFAULT 'OPEN',
    "identityId" TEXT,
    "decidedAt" TIMESTAMPTZ(3),
    "decidedBy" TEXT,
    "dismissReason" TEXT,
    "broaderPermissions" "Permission"[] DEFAULT ARRAY[]::"Permission"[],
    "flaggedAt" TIMESTAMPTZ(3),
    "firstSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastScanId" TEXT NOT NULL,
    "goneAt" TIMESTAMPTZ(3),

    CONSTRAINT "DiscoveryFinding_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DiscoveryRepository_teamId_idx" ON "DiscoveryRepository"("teamId");

-- CreateIndex
CREATE UNIQUE INDEX "DiscoveryRepository_name_environment_key" ON "DiscoveryRepository"("name", "environment");

-- CreateIndex
CREATE INDEX "DiscoveryScan_repositoryId_submittedAt_idx" ON "DiscoveryScan"("repositoryId", "submittedAt");

-- CreateIndex
CREATE INDEX "DiscoveryFinding_status_goneAt_idx" ON "DiscoveryFinding"("status", "goneAt");

-- CreateIndex
CREATE INDEX "DiscoveryFinding_identityId_idx" ON "DiscoveryFinding"("identityId");

-- CreateIndex
CREATE UNIQUE INDEX "DiscoveryFinding_repositoryId_fingerprint_key" ON "DiscoveryFinding"("repositoryId", "fingerprint");

-- AddForeignKey
ALTER TABLE "DiscoveryRepository" ADD CONSTRAINT "DiscoveryRepository_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DiscoveryScan" ADD CONSTRAINT "DiscoveryScan_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "DiscoveryRepository"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DiscoveryFinding" ADD CONSTRAINT "DiscoveryFinding_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "DiscoveryRepository"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DiscoveryFinding" ADD CONSTRAINT "DiscoveryFinding_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "AiIdentity"("id") ON DELETE SET NULL ON UPDATE CASCADE;

