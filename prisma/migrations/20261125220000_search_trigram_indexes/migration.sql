-- The inventory search matches ILIKE '%term%' over five columns; trigram indexes let it
-- use an index instead of reading every identity. pg_trgm ships with PostgreSQL (contrib)
-- and is a trusted extension: a database owner may create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "AiIdentity_name_trgm_idx" ON "AiIdentity" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "AiIdentity_vendor_trgm_idx" ON "AiIdentity" USING GIN ("vendor" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "AiIdentity_product_trgm_idx" ON "AiIdentity" USING GIN ("product" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "AiIdentity_model_trgm_idx" ON "AiIdentity" USING GIN ("model" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "AiIdentity_purpose_trgm_idx" ON "AiIdentity" USING GIN ("purpose" gin_trgm_ops);

