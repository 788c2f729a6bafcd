import { describe, expect, it } from "vitest";
import { canonicalJson, GENESIS_HASH, hashAuditEvent, toJsonValue } from "./hash";

const event = {
  seq: 1n,
  occurredAt: new Date("2026-11-25T10:00:00.123Z"),
  actorType: "USER",
  actorId: "u1",
  actorLabel: "ada@example.com",
  action: "user.created",
  targetType: "user",
  targetId: "u2",
  data: { b: 1, a: { d: [1, "x"], c: null } },
};

describe("canonicalJson", () => {
  it("sorts keys at every depth so key order never changes the hash", () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
    expect(canonicalJson([{ b: 1, a: 2 }])).toBe('[{"a":2,"b":1}]');
  });
});

describe("hashAuditEvent", () => {
  it("is a SHA-256 hex digest that depends on the previous hash", () => {
    const first = hashAuditEvent(GENESIS_HASH, event);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(hashAuditEvent("f".repeat(64), event)).not.toBe(first);
  });

  it("changes when any field changes", () => {
    const base = hashAuditEvent(GENESIS_HASH, event);
    expect(hashAuditEvent(GENESIS_HASH, { ...event, action: "user.deleted" })).not.toBe(base);
    expect(hashAuditEvent(GENESIS_HASH, { ...event, data: { b: 2, a: event.data.a } })).not.toBe(base);
    expect(hashAuditEvent(GENESIS_HASH, { ...event, occurredAt: new Date("2026-11-25T10:00:00.124Z") })).not.toBe(base);
    expect(hashAuditEvent(GENESIS_HASH, { ...event, seq: 2n })).not.toBe(base);
  });

  it("does not change with the order of keys in data", () => {
    const reordered = { ...event, data: { a: { c: null, d: [1, "x"] }, b: 1 } };
    expect(hashAuditEvent(GENESIS_HASH, reordered)).toBe(hashAuditEvent(GENESIS_HASH, event));
  });
});

describe("toJsonValue", () => {
  it("turns dates into ISO strings and drops undefined, as PostgreSQL's jsonb would", () => {
    expect(toJsonValue({ at: new Date("2026-01-01T00:00:00Z"), gone: undefined })).toEqual({ at: "2026-01-01T00:00:00.000Z" });
    expect(toJsonValue(undefined)).toEqual({});
  });
});
