-- Versions of the Cedar policy set (issue 10); the defaults are installed by lib/policy/store.ts on first use.
-- CreateTable
CREATE TABLE "PolicyVersion" (
    "id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "note" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activatedAt" TIMESTAMPTZ(3),
    "activatedById" TEXT,

    CONSTRAINT "PolicyVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PolicyVersion_number_key" ON "PolicyVersion"("number");

-- CreateIndex
CREATE INDEX "PolicyVersion_activatedAt_idx" ON "PolicyVersion"("activatedAt");

-- AddForeignKey
ALTER TABLE "PolicyVersion" ADD CONSTRAINT "PolicyVersion_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PolicyVersion" ADD CONSTRAINT "PolicyVersion_activatedById_fkey" FOREIGN KEY ("activatedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Activating a policy version decides what every agent may do: it waits for a security lead.
INSERT INTO "ApprovalCatalogEntry" ("key", "enabled", "ruleId", "maxDays", "updatedAt") VALUES
  ('policy.activated', true, 'rule_security_lead', NULL, CURRENT_TIMESTAMP);
