-- The inventory sorts by any of twelve columns, each with the id as tie-break. With an index on
-- (column, id) a page in any order, and a cursor after any row, reads the index instead of sorting
-- every identity; sorting by owner walks "User" by name and each owner's identities by (ownerId, id).
-- The single-column indexes they replace served filters, which the new ones serve as well.

-- DropIndex
DROP INDEX "AiIdentity_status_idx";

-- DropIndex
DROP INDEX "AiIdentity_ownerId_idx";

-- DropIndex
DROP INDEX "AiIdentity_teamId_idx";

-- DropIndex
DROP INDEX "AiIdentity_riskTier_idx";

-- DropIndex
DROP INDEX "AiIdentity_nextReviewAt_idx";

-- DropIndex
DROP INDEX "AiIdentity_expiresAt_idx";

-- CreateIndex
CREATE INDEX "User_name_id_idx" ON "User"("name", "id");

-- CreateIndex
CREATE INDEX "AiIdentity_name_id_idx" ON "AiIdentity"("name", "id");

-- CreateIndex
CREATE INDEX "AiIdentity_kind_id_idx" ON "AiIdentity"("kind", "id");

-- CreateIndex
CREATE INDEX "AiIdentity_environment_id_idx" ON "AiIdentity"("environment", "id");

-- CreateIndex
CREATE INDEX "AiIdentity_status_id_idx" ON "AiIdentity"("status", "id");

-- CreateIndex
CREATE INDEX "AiIdentity_riskTier_id_idx" ON "AiIdentity"("riskTier", "id");

-- CreateIndex
CREATE INDEX "AiIdentity_autonomy_id_idx" ON "AiIdentity"("autonomy", "id");

-- CreateIndex
CREATE INDEX "AiIdentity_expiresAt_id_idx" ON "AiIdentity"("expiresAt", "id");

-- CreateIndex
CREATE INDEX "AiIdentity_nextReviewAt_id_idx" ON "AiIdentity"("nextReviewAt", "id");

-- CreateIndex
CREATE INDEX "AiIdentity_createdAt_id_idx" ON "AiIdentity"("createdAt", "id");

-- CreateIndex
CREATE INDEX "AiIdentity_updatedAt_id_idx" ON "AiIdentity"("updatedAt", "id");

-- CreateIndex
CREATE INDEX "AiIdentity_ownerId_id_idx" ON "AiIdentity"("ownerId", "id");

-- CreateIndex
CREATE INDEX "AiIdentity_teamId_id_idx" ON "AiIdentity"("teamId", "id");
