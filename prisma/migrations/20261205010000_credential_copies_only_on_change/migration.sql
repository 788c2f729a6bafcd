-- A credential's UPDATE refreshes its identity's copies (migration 20261129201000) only when
-- something the copies are made of changed: which identity, whether it is active, its type, its
-- issue or expiry date. Using a credential (lastUsedAt, every minute an agent calls) or flagging it
-- for rotation (every grant of write access or more) no longer locks the identity's row and
-- re-aggregates its credentials.
CREATE OR REPLACE FUNCTION "warrant_credentials_updated"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  changed text[];
BEGIN
  changed := ARRAY(
    SELECT "identityId" FROM (
      (SELECT "id", "identityId", "status", "type", "issuedAt", "expiresAt" FROM new_rows
       EXCEPT SELECT "id", "identityId", "status", "type", "issuedAt", "expiresAt" FROM old_rows)
      UNION
      (SELECT "id", "identityId", "status", "type", "issuedAt", "expiresAt" FROM old_rows
       EXCEPT SELECT "id", "identityId", "status", "type", "issuedAt", "expiresAt" FROM new_rows)
    ) AS moved);
  IF cardinality(changed) > 0 THEN
    PERFORM "warrant_refresh_credential_copies"(changed);
  END IF;
  RETURN NULL;
END;
$$;
