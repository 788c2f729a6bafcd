import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DETECTOR_IDS } from "@/lib/validation/discovery";
import { FOOTPRINT_DETECTORS, secretDetector } from ".";

// A walk over the detectors: every detector id the report schema names has
// exactly one detector, and every detector module has its tests beside it.

describe("the detectors", () => {
  it("cover every detector id of the report schema, once each", () => {
    expect([...FOOTPRINT_DETECTORS, secretDetector].map((detector) => detector.id).sort()).toEqual([...DETECTOR_IDS].sort());
  });

  it("each have a module named after their id, with a test file beside it", () => {
    const files = readdirSync(path.join(import.meta.dirname));
    for (const id of DETECTOR_IDS) {
      expect(files, id).toContain(`${id}.ts`);
      expect(files, id).toContain(`${id}.test.ts`);
    }
  });
});
