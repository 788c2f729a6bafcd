import { hashAuditEvent, type AuditContent, type JsonValue } from "@/lib/audit/hash";
import type { ManifestChain, ManifestCheckpoint } from "./format";

// Checks the audit chain segment in audit/events.jsonl one line at a time, as
// the verifier streams the file, so a million events never sit in memory.
// The segment must be exactly the one the signed manifest describes: the
// first event links to chain.startPrevHash, each next event to the one before
// it with consecutive seqs, the last is #toSeq with hash chain.endHash, and
// every event's hash recomputes with the audit log's own rule (hashAuditEvent).

export interface ChainProblem {
  line?: number;
  seq?: string;
  message: string;
}

/** Past this many, one summary problem stands for the rest: a mangled file should not produce a million lines of report. */
const MAX_PROBLEMS = 50;

const HEX64 = /^[0-9a-f]{64}$/;
const SEQ = /^(0|[1-9][0-9]*)$/;

/** A line of the audit file, parsed: the event as lib/audit/hash.ts hashes it, with its two hashes. */
type ParsedEvent = AuditContent & { prevHash: string; hash: string };

const isStringOrNull = (value: unknown): value is string | null => value === null || typeof value === "string";

/** The event a line holds, or why it is not one. Checked by hand: a schema library per line would dominate the time. */
function parseEvent(text: string): ParsedEvent | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "is not valid JSON";
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "is not a JSON object";
  const row = value as Record<string, unknown>;
  if (typeof row.seq !== "string" || !SEQ.test(row.seq)) return "has no valid seq (a whole number as a string)";
  if (typeof row.occurredAt !== "string" || Number.isNaN(Date.parse(row.occurredAt))) return "has no valid occurredAt";
  if (typeof row.actorType !== "string" || typeof row.actorLabel !== "string" || typeof row.action !== "string") {
    return "lacks actorType, actorLabel or action";
  }
  if (!isStringOrNull(row.actorId) || !isStringOrNull(row.targetType) || !isStringOrNull(row.targetId)) {
    return "has an actorId, targetType or targetId that is neither a string nor null";
  }
  if (!("data" in row)) return "has no data";
  if (typeof row.prevHash !== "string" || !HEX64.test(row.prevHash)) return "has no valid prevHash";
  if (typeof row.hash !== "string" || !HEX64.test(row.hash)) return "has no valid hash";
  return {
    seq: BigInt(row.seq),
    occurredAt: new Date(row.occurredAt),
    actorType: row.actorType,
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    data: row.data as JsonValue,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

export class ChainChecker {
  readonly problems: ChainProblem[] = [];
  private omitted = 0;
  private expectedSeq: bigint;
  /** The hash the next event must link to; null after a line that could not be read, when it is unknown. */
  private prevHash: string | null;
  private lastSeq: bigint | null = null;
  private lastHash: string | null = null;
  private readonly checkpoints: Map<string, ManifestCheckpoint>;
  private readonly matched = new Set<string>();
  events = 0;

  /** `checkpoints` are the manifest's checkpoints; those whose seq lies inside the segment are matched against its events. */
  constructor(
    private readonly chain: ManifestChain,
    checkpoints: ManifestCheckpoint[],
  ) {
    this.expectedSeq = BigInt(chain.fromSeq);
    this.prevHash = chain.startPrevHash;
    const from = BigInt(chain.fromSeq);
    const to = BigInt(chain.toSeq);
    this.checkpoints = new Map(
      checkpoints.filter((checkpoint) => BigInt(checkpoint.seq) >= from && BigInt(checkpoint.seq) <= to).map((c) => [c.seq, c]),
    );
  }

  private report(problem: ChainProblem): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(problem);
    else this.omitted += 1;
  }

  /**
   * A line that holds no readable event is taken to be the event expected
   * there: the next line is then checked for the seq after it, and its link is
   * not compared, so one damaged line is one problem.
   */
  skip(line: number, reason: string): void {
    this.report({ line, message: `line ${line} ${reason}` });
    this.expectedSeq += 1n;
    this.prevHash = null;
  }

  line(text: string, line: number): void {
    if (text.trim() === "") {
      this.skip(line, "is empty");
      return;
    }
    const event = parseEvent(text);
    if (typeof event === "string") {
      this.skip(line, event);
      return;
    }
    this.events += 1;
    const seq = event.seq.toString();
    const at = `line ${line} (event #${seq})`;

    if (event.seq < this.expectedSeq) {
      // A repeated or stepped-back event is reported and then ignored, so the lines after it are checked against the real sequence.
      this.report({
        line,
        seq,
        message: `${at}: it follows event #${this.lastSeq ?? "none"}, so it is out of order or repeated (expected #${this.expectedSeq})`,
      });
      return;
    }
    if (event.seq > this.expectedSeq) {
      // A gap breaks the link by itself; the prevHash is not compared as well, so one cut is one problem.
      const missing =
        event.seq === this.expectedSeq + 1n
          ? `event #${this.expectedSeq} is missing`
          : `events #${this.expectedSeq} to #${event.seq - 1n} are missing`;
      const after = this.lastSeq === null ? `the segment starts at #${this.chain.fromSeq}` : `it follows event #${this.lastSeq}`;
      this.report({ line, seq, message: `${at}: ${after}, so ${missing}` });
    } else if (this.prevHash !== null && event.prevHash !== this.prevHash) {
      const previous = this.lastSeq === null ? "the manifest's chain.startPrevHash is" : `the previous event (#${this.lastSeq}) has hash`;
      this.report({ line, seq, message: `${at}: prevHash is ${event.prevHash}, but ${previous} ${this.prevHash}` });
    }

    const recomputed = hashAuditEvent(event.prevHash, event);
    if (recomputed !== event.hash) {
      this.report({
        line,
        seq,
        message: `${at}: its content hashes to ${recomputed}, but its hash says ${event.hash} (the event was altered)`,
      });
    }

    const checkpoint = this.checkpoints.get(seq);
    if (checkpoint) {
      this.matched.add(seq);
      if (checkpoint.hash !== event.hash) {
        this.report({
          line,
          seq,
          message: `${at}: hash is ${event.hash}, but the signed checkpoint of ${checkpoint.createdAt} recorded ${checkpoint.hash}`,
        });
      }
    }

    // Continue from what this line claims, so an altered event is reported where it is rather than at every later link.
    this.expectedSeq = event.seq + 1n;
    this.prevHash = event.hash;
    this.lastSeq = event.seq;
    this.lastHash = event.hash;
  }

  /** Call after the last line: checks the segment's end and the checkpoints no event matched. */
  end(): void {
    if (this.lastSeq === null) {
      this.report({ message: `holds no events, but the manifest's chain covers #${this.chain.fromSeq} to #${this.chain.toSeq}` });
    } else {
      if (this.lastSeq.toString() !== this.chain.toSeq) {
        this.report({
          seq: this.lastSeq.toString(),
          message: `the last event is #${this.lastSeq}, but the manifest's chain ends at #${this.chain.toSeq}`,
        });
      }
      if (this.lastHash !== this.chain.endHash) {
        this.report({
          seq: this.lastSeq.toString(),
          message: `the last event's hash is ${this.lastHash}, but the manifest's chain.endHash is ${this.chain.endHash}`,
        });
      }
    }
    for (const [seq, checkpoint] of this.checkpoints) {
      if (!this.matched.has(seq)) {
        this.report({ seq, message: `event #${seq}, recorded by the signed checkpoint of ${checkpoint.createdAt}, is not in the file` });
      }
    }
    if (this.omitted > 0) this.problems.push({ message: `and ${this.omitted} more problems in the chain, not listed` });
  }
}
