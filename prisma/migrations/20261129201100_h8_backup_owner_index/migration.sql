-- "Reviews awaiting your attestation" on My tasks asks for open reviews of identities a person owns
-- or backs up. With no index on the backup owner, PostgreSQL checked the identity of every open
-- review instead (about 400 ms for 16,000 open reviews, twice a page: the rows and their count).

-- CreateIndex
CREATE INDEX "AiIdentity_backupOwnerId_idx" ON "AiIdentity"("backupOwnerId");
