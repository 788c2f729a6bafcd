-- Agent tokens: a credential Warrant issued to an identity, by which that
-- identity authenticates at the runtime endpoints. Only the secret's SHA-256 is kept.
ALTER TABLE "Credential" ADD COLUMN "secretHash" TEXT;

CREATE UNIQUE INDEX "Credential_secretHash_key" ON "Credential"("secretHash");
