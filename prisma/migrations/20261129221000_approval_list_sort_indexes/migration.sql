-- The approvals list sorts by when a request was made, when it expires, its status or its
-- requester, each with the id as tie-break. With these, a page of every request (or of the
-- history) in either of the first two orders reads an index instead of sorting them all; status
-- uses ("status", "createdAt", "id") and requester walks "User" by ("name", "id").

-- ("createdAt", "id") is created by 20261129220100_approval_history_index, for the history, which
-- was written at the same time on another branch.

-- CreateIndex
CREATE INDEX "ApprovalRequest_expiresAt_id_idx" ON "ApprovalRequest"("expiresAt", "id");

-- The list's search matches ILIKE '%term%' on the summary (which names the identity and the
-- system); a trigram index finds the few matches instead of reading every request.
-- CreateIndex
CREATE INDEX "ApprovalRequest_summary_trgm_idx" ON "ApprovalRequest" USING GIN ("summary" gin_trgm_ops);
