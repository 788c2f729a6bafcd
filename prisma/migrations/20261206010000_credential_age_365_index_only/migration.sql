-- The dashboard's "365+ days" credential-age count is of identities in use: with the status beside
-- the oldest issue date in the index, it reads the index alone instead of combining it with the
-- status index and visiting about 3,900 of the table's pages (on 100,000 identities: 9 -> 1.4 ms of
-- PostgreSQL per dashboard, and none of those pages to fault in on a new connection). The index
-- replaces the single-column one, so an identity's row has no more indexes to write than before.
-- DropIndex
DROP INDEX "AiIdentity_credentialOldestIssuedAt_idx";

-- CreateIndex
CREATE INDEX "AiIdentity_credentialOldestIssuedAt_status_idx" ON "AiIdentity"("credentialOldestIssuedAt", "status");
