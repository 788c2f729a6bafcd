-- A member's proposed sensitivity waits here for a security lead; meanwhile the system counts as RESTRICTED.
ALTER TABLE "System" ADD COLUMN "proposedSensitivity" "Sensitivity";
