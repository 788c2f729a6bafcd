-- Sort by team and the credential filters read other tables (Team, Credential), so a page of them
-- had to look at every identity: 100-400 ms on 100,000 identities. Each identity now carries a copy
-- of what those need, kept by triggers in the same transaction as the change that affects it, so
-- every writer (the app, imports, the bulk seed, SQL by hand) keeps it right; indexes serve the rest.
-- The copies never change "updatedAt": they are not edits of the identity.

-- AlterTable
ALTER TABLE "AiIdentity" ADD COLUMN     "credentialOldestIssuedAt" TIMESTAMPTZ(3),
ADD COLUMN     "hasNonExpiringCredential" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "longLivedCandidateIssuedAt" TIMESTAMPTZ(3),
ADD COLUMN     "teamName" TEXT;

-- The team's name, on insert and whenever the team (or the copy itself) is written.
CREATE FUNCTION "warrant_copy_team_name"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW."teamName" := (SELECT t."name" FROM "Team" t WHERE t."id" = NEW."teamId");
  RETURN NEW;
END;
$$;

CREATE TRIGGER "AiIdentity_copy_team_name"
  BEFORE INSERT OR UPDATE OF "teamId", "teamName" ON "AiIdentity"
  FOR EACH ROW EXECUTE FUNCTION "warrant_copy_team_name"();

CREATE FUNCTION "warrant_rename_team"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "AiIdentity" SET "teamName" = NEW."name" WHERE "teamId" = NEW."id";
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Team_rename_copies"
  AFTER UPDATE OF "name" ON "Team"
  FOR EACH ROW WHEN (OLD."name" IS DISTINCT FROM NEW."name") EXECUTE FUNCTION "warrant_rename_team"();

-- What the credential filters ask of an identity's ACTIVE credentials, recomputed for the identities
-- a statement touched. JIT_TOKEN and CLOUD_ROLE are short-lived by type: SHORT_LIVED_CREDENTIAL_TYPES
-- in lib/inventory/risk.ts (query-sql.test.ts checks the two agree).
-- The identities are locked first, in id order: a concurrent change to the same identity's credentials
-- then commits before the next statement reads them (each statement of this VOLATILE function takes a
-- new snapshot), instead of both computing from what they saw before either committed.
CREATE FUNCTION "warrant_refresh_credential_copies"(ids TEXT[]) RETURNS void
LANGUAGE sql AS $$
  SELECT 1 FROM "AiIdentity" WHERE "id" = ANY(ids) ORDER BY "id" FOR NO KEY UPDATE;
  UPDATE "AiIdentity" i
  SET "credentialOldestIssuedAt" = s.oldest, "longLivedCandidateIssuedAt" = s.candidate,
      "hasNonExpiringCredential" = s.never_expires
  FROM (
    SELECT x.id,
           min(c."issuedAt") AS oldest,
           min(c."issuedAt") FILTER (WHERE c."type" NOT IN ('JIT_TOKEN', 'CLOUD_ROLE') AND c."expiresAt" IS NOT NULL) AS candidate,
           coalesce(bool_or(c."type" NOT IN ('JIT_TOKEN', 'CLOUD_ROLE') AND c."expiresAt" IS NULL), false) AS never_expires
    FROM (SELECT DISTINCT unnest(ids) AS id) x
    LEFT JOIN "Credential" c ON c."identityId" = x.id AND c."status" = 'ACTIVE'
    GROUP BY x.id
  ) s
  WHERE i."id" = s.id
    AND (i."credentialOldestIssuedAt", i."longLivedCandidateIssuedAt", i."hasNonExpiringCredential")
        IS DISTINCT FROM (s.oldest, s.candidate, s.never_expires);
$$;

CREATE FUNCTION "warrant_credentials_inserted"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "warrant_refresh_credential_copies"(ARRAY(SELECT "identityId" FROM new_rows));
  RETURN NULL;
END;
$$;

CREATE FUNCTION "warrant_credentials_updated"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "warrant_refresh_credential_copies"(ARRAY(SELECT "identityId" FROM new_rows UNION SELECT "identityId" FROM old_rows));
  RETURN NULL;
END;
$$;

CREATE FUNCTION "warrant_credentials_deleted"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "warrant_refresh_credential_copies"(ARRAY(SELECT "identityId" FROM old_rows));
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Credential_inserted_copies"
  AFTER INSERT ON "Credential" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "warrant_credentials_inserted"();

CREATE TRIGGER "Credential_updated_copies"
  AFTER UPDATE ON "Credential" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "warrant_credentials_updated"();

CREATE TRIGGER "Credential_deleted_copies"
  AFTER DELETE ON "Credential" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "warrant_credentials_deleted"();

-- The copies for the rows already there.
UPDATE "AiIdentity" SET "teamName" = t."name" FROM "Team" t WHERE t."id" = "AiIdentity"."teamId";
SELECT "warrant_refresh_credential_copies"(ARRAY(SELECT DISTINCT "identityId" FROM "Credential"));

-- CreateIndex
CREATE INDEX "AiIdentity_teamName_id_idx" ON "AiIdentity"("teamName", "id");

-- CreateIndex
CREATE INDEX "AiIdentity_orphanedAt_name_id_idx" ON "AiIdentity"("orphanedAt", "name", "id");

-- CreateIndex
CREATE INDEX "AiIdentity_credentialOldestIssuedAt_idx" ON "AiIdentity"("credentialOldestIssuedAt");

-- CreateIndex
CREATE INDEX "AiIdentity_longLivedCandidateIssuedAt_idx" ON "AiIdentity"("longLivedCandidateIssuedAt");

-- CreateIndex
CREATE INDEX "AiIdentity_hasNonExpiringCredential_idx" ON "AiIdentity"("hasNonExpiringCredential");
