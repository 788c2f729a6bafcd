-- Evidence packages (lib/evidence): each request, its build's progress, the
-- finished zip in chunks, and the keys that sign the packages' manifests.

-- CreateEnum
CREATE TYPE "EvidencePackageStatus" AS ENUM ('QUEUED', 'BUILDING', 'READY', 'FAILED');

-- CreateTable
CREATE TABLE "EvidencePackage" (
    "id" TEXT NOT NULL,
    "status" "EvidencePackageStatus" NOT NULL DEFAULT 'QUEUED',
    "periodFrom" TIMESTAMPTZ(3) NOT NULL,
    "periodTo" TIMESTAMPTZ(3) NOT NULL,
    "frameworks" TEXT[],
    "teamId" TEXT,
    "requestedById" TEXT NOT NULL,
    "requestedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "progress" INTEGER NOT NULL DEFAULT 0,
    "stage" TEXT,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "error" TEXT,
    "sizeBytes" BIGINT,
    "sha256" TEXT,
    "keyId" TEXT,
    "fileCount" INTEGER,

    CONSTRAINT "EvidencePackage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvidenceChunk" (
    "packageId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "EvidenceChunk_pkey" PRIMARY KEY ("packageId","index")
);

-- CreateTable
CREATE TABLE "EvidenceKey" (
    "id" TEXT NOT NULL,
    "publicJwk" JSONB NOT NULL,
    "privateKey" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" TIMESTAMPTZ(3),

    CONSTRAINT "EvidenceKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "EvidencePackage_status_leaseUntil_idx" ON "EvidencePackage"("status", "leaseUntil");

-- CreateIndex
CREATE INDEX "EvidencePackage_requestedAt_id_idx" ON "EvidencePackage"("requestedAt", "id");

-- AddForeignKey
ALTER TABLE "EvidencePackage" ADD CONSTRAINT "EvidencePackage_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvidenceChunk" ADD CONSTRAINT "EvidenceChunk_packageId_fkey" FOREIGN KEY ("packageId") REFERENCES "EvidencePackage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

