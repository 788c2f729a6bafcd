import { describe, expect, it } from "vitest";
import { prisma, type Db } from "@/lib/db/client";
import { describeLoadedDemo } from "@/lib/testing/loaded-demo";
import { DEMO_IDENTITIES, seedDemoDataOnce } from "./seed";

// A first start loads the demo organisation in one transaction, then makes its
// approvals, runtime decisions and scans through the real mutations, each in a
// transaction of its own. A start stopped in between must leave nothing half
// done: the next start finishes exactly what is missing.

class StoppedHere extends Error {}

/** The client, except that its `stopAt`-th transaction never begins: as if the process died just before it. */
function stoppingAt(db: Db, stopAt: number): Db {
  let begun = 0;
  return new Proxy(db, {
    get(target, property) {
      if (property !== "$transaction") return Reflect.get(target, property, target);
      return (...args: unknown[]) => {
        begun += 1;
        if (begun === stopAt) return Promise.reject(new StoppedHere(`stopped before transaction ${stopAt}`));
        return Reflect.apply(target.$transaction, target, args);
      };
    },
  }) as Db;
}

describe("a first start stopped while loading the demo", () => {
  it("is finished by the starts after it, every step taken once, however often they are stopped too", async () => {
    const stops: { stopAt: number; requests: number }[] = [];
    // Each start is stopped one transaction later than the one before (the first is the
    // organisation's), until one gets through: the stops land all along the way.
    for (let stopAt = 2; ; stopAt += 1) {
      const outcome = await seedDemoDataOnce(stoppingAt(prisma, stopAt)).catch((error: unknown) => error);
      if (!(outcome instanceof StoppedHere)) {
        expect(outcome).toBe(false);
        break;
      }
      stops.push({ stopAt, requests: await prisma.approvalRequest.count() });
      if (stopAt > 60) throw new Error("the demo never finished loading");
    }
    const requests = await prisma.approvalRequest.count();
    // Stopped before any request, with some asked and not others, and after the last.
    expect(stops.some((stop) => stop.requests === 0)).toBe(true);
    expect(stops.some((stop) => stop.requests > 0 && stop.requests < requests)).toBe(true);
    expect(stops.length).toBeGreaterThanOrEqual(5);
    expect(await prisma.aiIdentity.count()).toBe(DEMO_IDENTITIES.length);

    // Finished: another start does nothing more.
    expect(await seedDemoDataOnce(stoppingAt(prisma, 2))).toBe(false);
    expect(await prisma.approvalRequest.count()).toBe(requests);
  });
});

// The same organisation as a start that was never stopped (lib/demo/seed.test.ts).
describeLoadedDemo();
