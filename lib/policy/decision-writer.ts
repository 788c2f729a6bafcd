import { newId } from "@/lib/db/ids";
import { runtimeQuery } from "@/lib/db/runtime-pool";

// Storing the decisions of the authorize API. An agent asks before every tool
// call, and a commit per decision would make the disk's flush the limit, so
// decisions that arrive while a write is under way go in together with the
// next one: one INSERT (one commit) for all of them. Nothing is answered
// before its decision is committed, so a crash loses no decision anyone was
// told about. The rare decision that opens or uses up a bound approval is
// stored in that transaction instead (lib/policy/authorize.ts).

export interface DecisionRow {
  identityId: string;
  action: string;
  resourceType: "System" | "Tool";
  resourceId: string;
  argumentsHash: string | null;
  taskId: string | null;
  taskIntent: string | null;
  callId: string | null;
  outcome: "ALLOW" | "DENY" | "REQUIRE_APPROVAL";
  policyIds: string[];
  reasons: string[];
  policyVersionId: string;
  credentialKind: string;
  credentialId: string;
  humanApproved: boolean;
  approvalRequestId: string | null;
  latencyMicros: number;
  cedarRequest: unknown;
  createdAt: Date;
}

interface Pending {
  row: DecisionRow & { id: string };
  stored: () => void;
  failed: (error: unknown) => void;
}

/** Enough for any burst a 2-core server answers; a longer queue is written in several statements. */
const MAX_BATCH = 500;

const INSERT_DECISIONS = `
  INSERT INTO "PolicyDecision" ("id", "identityId", "action", "resourceType", "resourceId", "argumentsHash", "taskId", "taskIntent",
    "callId", "outcome", "policyIds", "reasons", "policyVersionId", "credentialKind", "credentialId", "humanApproved",
    "approvalRequestId", "latencyMicros", "cedarRequest", "createdAt")
  SELECT d."id", d."identityId", d."action", d."resourceType", d."resourceId", d."argumentsHash", d."taskId", d."taskIntent",
    d."callId", d."outcome"::"DecisionOutcome", d."policyIds", d."reasons", d."policyVersionId", d."credentialKind", d."credentialId",
    d."humanApproved", d."approvalRequestId", d."latencyMicros", d."cedarRequest", d."createdAt"
  FROM json_to_recordset($1::json) AS d("id" text, "identityId" text, "action" text, "resourceType" text, "resourceId" text,
    "argumentsHash" text, "taskId" text, "taskIntent" text, "callId" text, "outcome" text, "policyIds" text[], "reasons" text[],
    "policyVersionId" text, "credentialKind" text, "credentialId" text, "humanApproved" boolean, "approvalRequestId" text,
    "latencyMicros" integer, "cedarRequest" jsonb, "createdAt" timestamptz)`;

const queue: Pending[] = [];
let writing = false;

async function insert(rows: Pending["row"][]): Promise<void> {
  await runtimeQuery("store-decisions", INSERT_DECISIONS, [JSON.stringify(rows)]);
}

async function writeQueued(): Promise<void> {
  writing = true;
  try {
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      try {
        await insert(batch.map((item) => item.row));
        for (const item of batch) item.stored();
      } catch (error) {
        if (batch.length === 1) {
          batch[0]!.failed(error);
          continue;
        }
        // One bad row (say, its identity deleted a moment ago) must not fail the others: each alone.
        for (const item of batch) {
          await insert([item.row]).then(item.stored, item.failed);
        }
      }
    }
  } finally {
    writing = false;
  }
}

/** Stores one decision, committed before the promise resolves with its id. */
export function storeDecision(row: DecisionRow): Promise<string> {
  const id = newId();
  return new Promise((resolve, reject) => {
    queue.push({ row: { ...row, id }, stored: () => resolve(id), failed: reject });
    if (!writing) void writeQueued();
  });
}
