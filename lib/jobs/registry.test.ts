import { describe, expect, it } from "vitest";
import { JOBS } from "./registry";
import { createBoss } from "./worker";

// Checks every registry entry before a worker meets it: a bad name or cron
// expression would otherwise surface only when a worker starts.

describe("the job registry", () => {
  it("names each job once, in characters pg-boss accepts for a queue, with a reason", () => {
    expect(JOBS.length).toBeGreaterThan(0);
    expect(new Set(JOBS.map((job) => job.name)).size).toBe(JOBS.length);
    for (const job of JOBS) {
      expect(job.name).toMatch(/^[a-z0-9]+([._-][a-z0-9]+)*$/);
      expect(job.why.length, job.name).toBeGreaterThan(20);
    }
  });

  it("gives each job a cron expression pg-boss can schedule", () => {
    // previewSchedule parses an expression the way schedule() does; nothing connects.
    const boss = createBoss("postgresql://localhost/unused");
    for (const job of JOBS) expect(boss.previewSchedule(job.cron, { tz: "UTC", count: 2 }), job.name).toHaveLength(2);
    expect(() => boss.previewSchedule("every hour", { tz: "UTC" })).toThrow();
  });
});
