-- The approvals list sorts by when a request was made, when it expires, its status or its
-- requester, each with the id as tie-break. With these, a page of every request (or of the
-- history) in either of the first two orders reads an index instead of sorting them all; status
-- uses ("status", "createdAt", "id") and requester walks "User" by ("name", "id").

-- CreateIndex
CREATE INDEX "ApprovalRequest_createdAt_id_idx" ON "ApprovalRequest"("createdAt", "id");

-- CreateIndex
CREATE INDEX "ApprovalRequest_expiresAt_id_idx" ON "ApprovalRequest"("expiresAt", "id");
