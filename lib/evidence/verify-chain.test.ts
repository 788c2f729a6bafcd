import { describe, expect, it } from "vitest";
import type { AuditEventRecord, ManifestChain } from "./format";
import { auditEvents } from "./test-helpers";
import { ChainChecker } from "./verify-chain";

const events = [...auditEvents(12)];
// The segment is #3..#12: its first event links to #2's hash.
const segment = events.slice(2);
const chain: ManifestChain = {
  file: "audit/events.jsonl",
  fromSeq: "3",
  toSeq: "12",
  startPrevHash: events[1]!.hash,
  endHash: events[11]!.hash,
};

function check(lines: string[], checkpoints: { seq: string; hash: string }[] = []) {
  const checker = new ChainChecker(
    chain,
    checkpoints.map((c) => ({ ...c, createdAt: "2026-10-01T00:00:00.000Z", keyId: "0".repeat(64), signature: "AA==" })),
  );
  lines.forEach((line, index) => checker.line(line, index + 1));
  checker.end();
  return checker;
}

const line = (event: AuditEventRecord) => JSON.stringify(event);

describe("ChainChecker", () => {
  it("accepts the exact segment the manifest describes", () => {
    const checker = check(segment.map(line), [{ seq: "7", hash: events[6]!.hash }]);
    expect(checker.problems).toEqual([]);
    expect(checker.events).toBe(10);
  });

  it("names the first event when it does not link to the segment's start", () => {
    const checker = check(segment.slice(1).map(line));
    expect(checker.problems.map((p) => p.message)).toEqual(["line 1 (event #4): the segment starts at #3, so event #3 is missing"]);
  });

  it("reports a damaged line once, and goes on checking the lines after it", () => {
    const lines = segment.map(line);
    lines[4] = lines[4]!.slice(0, 40);
    expect(check(lines).problems).toEqual([{ line: 5, message: "line 5 is not valid JSON" }]);
  });

  it("names an event repeated or out of order", () => {
    const lines = segment.map(line);
    lines.splice(5, 0, lines[3]!);
    expect(check(lines).problems.map((p) => p.message)).toEqual([
      "line 6 (event #6): it follows event #7, so it is out of order or repeated (expected #8)",
    ]);
  });

  it("names a relinked event whose prevHash does not match the one before it", () => {
    const forged = { ...segment[3]!, prevHash: "f".repeat(64) };
    const messages = check(segment.map((event, index) => line(index === 3 ? forged : event))).problems.map((p) => p.message);
    // Its hash no longer recomputes either: prevHash is part of what is hashed.
    expect(messages).toEqual([
      `line 4 (event #6): prevHash is ${"f".repeat(64)}, but the previous event (#5) has hash ${events[4]!.hash}`,
      expect.stringMatching(/^line 4 \(event #6\): its content hashes to [0-9a-f]{64}, but its hash says/),
    ]);
  });

  it("names a checkpoint inside the segment whose event is gone", () => {
    const checker = check(segment.map(line), [{ seq: "13", hash: "a".repeat(64) }]);
    expect(checker.problems).toEqual([]); // #13 is outside the segment: not matched against it
    const inside = check(segment.filter((event) => event.seq !== "12").map(line), [{ seq: "12", hash: events[11]!.hash }]);
    expect(inside.problems.map((p) => p.message)).toContain(
      "event #12, recorded by the signed checkpoint of 2026-10-01T00:00:00.000Z, is not in the file",
    );
  });

  it("lists at most 50 problems and counts the rest", () => {
    const checker = check(Array.from({ length: 80 }, () => "{}"));
    expect(checker.problems).toHaveLength(51);
    expect(checker.problems.at(-1)!.message).toMatch(/^and \d+ more problems in the chain, not listed$/);
  });
});
