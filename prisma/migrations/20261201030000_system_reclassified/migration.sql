-- Moving a system that identities have access to into production, or making
-- it restricted, is a sensitive change (lib/approvals/catalog.ts,
-- "system.reclassified"): it widens their reach without a new grant to
-- approve. Decided as access to a system is: a security lead, then the
-- system's owner.
INSERT INTO "ApprovalCatalogEntry" ("key", "enabled", "ruleId", "maxDays", "updatedAt") VALUES
  ('system.reclassified', true, 'rule_lead_and_system_owner', NULL, CURRENT_TIMESTAMP);
