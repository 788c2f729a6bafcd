-- Runtime activity (issue 10, lib/events): reported tool calls, token uses and privileged actions,
-- their flags, and per-minute counts for the burst rule.

-- CreateEnum
CREATE TYPE "ActivityKind" AS ENUM ('TOOL_CALL', 'TOKEN_USE', 'PRIVILEGED_ACTION');

-- CreateEnum
CREATE TYPE "ActivityFlagKind" AS ENUM ('CREDENTIAL_NOT_VALID', 'NO_ALLOWING_DECISION', 'OUTSIDE_ENVIRONMENT', 'NOT_GRANTED', 'BURST');

-- CreateTable: range-partitioned by month on receivedAt (Prisma cannot say so; schema.prisma sees one table).
CREATE TABLE "ActivityEvent" (
    "seq" BIGINT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "identityId" TEXT NOT NULL,
    "kind" "ActivityKind" NOT NULL,
    "tool" TEXT,
    "action" TEXT,
    "systemId" TEXT,
    "targetEnvironment" "Environment",
    "argumentsHash" TEXT,
    "result" TEXT,
    "credentialKind" TEXT NOT NULL,
    "credentialId" TEXT NOT NULL,
    "decisionId" TEXT,
    "sessionId" TEXT,
    "taskId" TEXT,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "ActivityEvent_pkey" PRIMARY KEY ("seq","receivedAt")
) PARTITION BY RANGE ("receivedAt");

-- CreateTable
CREATE TABLE "ActivityFlag" (
    "id" BIGSERIAL NOT NULL,
    "eventSeq" BIGINT NOT NULL,
    "identityId" TEXT NOT NULL,
    "kind" "ActivityFlagKind" NOT NULL,
    "reason" TEXT NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ActivityFlag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActivityRate" (
    "identityId" TEXT NOT NULL,
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "events" INTEGER NOT NULL,

    CONSTRAINT "ActivityRate_pkey" PRIMARY KEY ("identityId","minute")
);

-- CreateIndex
CREATE INDEX "ActivityEvent_identityId_seq_idx" ON "ActivityEvent"("identityId", "seq");

-- CreateIndex
CREATE INDEX "ActivityEvent_identityId_occurredAt_idx" ON "ActivityEvent"("identityId", "occurredAt");

-- CreateIndex
CREATE INDEX "ActivityEvent_tool_seq_idx" ON "ActivityEvent"("tool", "seq");

-- CreateIndex
CREATE INDEX "ActivityEvent_kind_seq_idx" ON "ActivityEvent"("kind", "seq");

-- CreateIndex
CREATE INDEX "ActivityFlag_identityId_eventSeq_idx" ON "ActivityFlag"("identityId", "eventSeq");

-- CreateIndex
CREATE INDEX "ActivityFlag_kind_eventSeq_idx" ON "ActivityFlag"("kind", "eventSeq");

-- CreateIndex
CREATE UNIQUE INDEX "ActivityFlag_eventSeq_kind_key" ON "ActivityFlag"("eventSeq", "kind");

-- AddForeignKey
ALTER TABLE "ActivityEvent" ADD CONSTRAINT "ActivityEvent_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "AiIdentity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActivityFlag" ADD CONSTRAINT "ActivityFlag_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "AiIdentity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Append-only, as the audit log: the database refuses to change or remove an event, whoever asks;
-- only the table's owner can get around it (disabling the trigger), and the hash chain then shows it.
CREATE FUNCTION "warrant_refuse_activity_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ActivityEvent is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- Row triggers on a partitioned table are cloned onto every partition, present and future.
CREATE TRIGGER "ActivityEvent_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "ActivityEvent"
  FOR EACH ROW EXECUTE FUNCTION "warrant_refuse_activity_change"();

CREATE TRIGGER "ActivityEvent_no_truncate"
  BEFORE TRUNCATE ON "ActivityEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "warrant_refuse_activity_change"();

-- The safety net: an event whose month has no partition yet lands here instead of failing.
CREATE TABLE "ActivityEvent_default" PARTITION OF "ActivityEvent" DEFAULT;
CREATE TRIGGER "ActivityEvent_default_no_truncate"
  BEFORE TRUNCATE ON "ActivityEvent_default"
  FOR EACH STATEMENT EXECUTE FUNCTION "warrant_refuse_activity_change"();

-- Creates the partitions for the month of `at` and the month after (each "ActivityEvent_yYYYYmMM"),
-- if missing. Runs at migrate and at every start (lib/db/prepare.ts); SECURITY DEFINER so the app
-- role, which cannot create partitions of a table it does not own, may call it too. A month whose
-- events already sit in the default partition is left there (creating its partition would fail).
CREATE FUNCTION "warrant_ensure_activity_partitions"("at" timestamptz) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  month_start timestamptz;
  month_end timestamptz;
  partition_name text;
BEGIN
  FOR i IN 0..1 LOOP
    month_start := date_trunc('month', "at" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + make_interval(months => i);
    month_end := month_start + interval '1 month';
    partition_name := 'ActivityEvent_' || to_char(month_start AT TIME ZONE 'UTC', '"y"YYYY"m"MM');
    CONTINUE WHEN to_regclass(format('%I', partition_name)) IS NOT NULL;
    CONTINUE WHEN EXISTS (SELECT 1 FROM "ActivityEvent_default" WHERE "receivedAt" >= month_start AND "receivedAt" < month_end);
    EXECUTE format('CREATE TABLE %I PARTITION OF "ActivityEvent" FOR VALUES FROM (%L) TO (%L)', partition_name, month_start, month_end);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION "warrant_refuse_activity_change"()',
      partition_name || '_no_truncate', partition_name);
  END LOOP;
END;
$$;

SELECT "warrant_ensure_activity_partitions"(now());
