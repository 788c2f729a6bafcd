-- Trigram indexes keep new entries in a pending list (fastupdate) and merge
-- them into the index when the list passes gin_pending_list_limit (4 MB by
-- default), inside whichever write overflows it. Every non-HOT update of an
-- identity adds its name's, vendor's, product's, model's and purpose's
-- trigrams; every authorization adds its task intent's. Measured on the bench
-- database: 2,000 identity updates left 249 pending pages in the purpose
-- index, and merging them took 118 ms; at 4 MB about one identity write in
-- 4,000 paid about a quarter of a second. Every search also reads the whole
-- pending list. With 512 kB the merges are about an eighth as large: over
-- 6,000 single-row identity updates the slowest took 36 ms instead of 181.
ALTER INDEX "AiIdentity_name_trgm_idx" SET (gin_pending_list_limit = 512);
ALTER INDEX "AiIdentity_vendor_trgm_idx" SET (gin_pending_list_limit = 512);
ALTER INDEX "AiIdentity_product_trgm_idx" SET (gin_pending_list_limit = 512);
ALTER INDEX "AiIdentity_model_trgm_idx" SET (gin_pending_list_limit = 512);
ALTER INDEX "AiIdentity_purpose_trgm_idx" SET (gin_pending_list_limit = 512);
ALTER INDEX "ApprovalRequest_summary_trgm_idx" SET (gin_pending_list_limit = 512);
ALTER INDEX "PolicyDecision_taskIntent_trgm_idx" SET (gin_pending_list_limit = 512);
