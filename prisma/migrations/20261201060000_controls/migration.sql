-- Warrant's controls (lib/controls/library.ts): every run of the controls is
-- kept with each control's result and failing objects, so status over time is
-- a chart and an auditor sees exactly what failed on a given day. Security
-- leads' exceptions and their own mappings sit beside them.

-- CreateEnum
CREATE TYPE "ControlStatus" AS ENUM ('PASS', 'FAIL', 'NOT_APPLICABLE');

-- CreateTable
CREATE TABLE "ControlRun" (
    "id" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "requestedById" TEXT,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ControlRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ControlResult" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "controlKey" TEXT NOT NULL,
    "status" "ControlStatus" NOT NULL,
    "total" INTEGER,
    "failed" INTEGER,
    "excepted" INTEGER,
    "measure" TEXT NOT NULL,
    "reason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ControlResult_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ControlFailure" (
    "resultId" TEXT NOT NULL,
    "objectType" TEXT NOT NULL,
    "objectId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "ownerId" TEXT,
    "excepted" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "ControlFailure_pkey" PRIMARY KEY ("resultId","objectType","objectId")
);

-- CreateTable
CREATE TABLE "ControlException" (
    "id" TEXT NOT NULL,
    "controlKey" TEXT NOT NULL,
    "objectType" TEXT NOT NULL,
    "objectId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),
    "revokedById" TEXT,

    CONSTRAINT "ControlException_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ControlMapping" (
    "id" TEXT NOT NULL,
    "controlKey" TEXT NOT NULL,
    "requirementId" TEXT NOT NULL,
    "alias" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ControlMapping_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ControlRun_startedAt_idx" ON "ControlRun"("startedAt");

-- CreateIndex
CREATE INDEX "ControlResult_controlKey_createdAt_idx" ON "ControlResult"("controlKey", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ControlResult_runId_controlKey_key" ON "ControlResult"("runId", "controlKey");

-- CreateIndex
CREATE INDEX "ControlFailure_ownerId_idx" ON "ControlFailure"("ownerId");

-- CreateIndex
CREATE INDEX "ControlException_controlKey_objectType_objectId_idx" ON "ControlException"("controlKey", "objectType", "objectId");

-- CreateIndex
CREATE INDEX "ControlException_expiresAt_idx" ON "ControlException"("expiresAt");

-- CreateIndex
CREATE INDEX "ControlMapping_requirementId_idx" ON "ControlMapping"("requirementId");

-- CreateIndex
CREATE UNIQUE INDEX "ControlMapping_controlKey_requirementId_key" ON "ControlMapping"("controlKey", "requirementId");

-- AddForeignKey
ALTER TABLE "ControlRun" ADD CONSTRAINT "ControlRun_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ControlResult" ADD CONSTRAINT "ControlResult_runId_fkey" FOREIGN KEY ("runId") REFERENCES "ControlRun"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ControlFailure" ADD CONSTRAINT "ControlFailure_resultId_fkey" FOREIGN KEY ("resultId") REFERENCES "ControlResult"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ControlException" ADD CONSTRAINT "ControlException_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ControlMapping" ADD CONSTRAINT "ControlMapping_requirementId_fkey" FOREIGN KEY ("requirementId") REFERENCES "Requirement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ControlMapping" ADD CONSTRAINT "ControlMapping_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Accepting a failing object for a control is a sensitive change
-- (lib/approvals/catalog.ts, "control.excepted"): it turns a failure into an
-- exception everywhere, so a second security lead approves it.
INSERT INTO "ApprovalCatalogEntry" ("key", "enabled", "ruleId", "maxDays", "updatedAt") VALUES
  ('control.excepted', true, 'rule_security_lead', NULL, CURRENT_TIMESTAMP);
