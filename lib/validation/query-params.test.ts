import { describe, expect, it } from "vitest";
import { inventoryQuerySchema } from "@/lib/inventory/query";
import { reviewListQuery } from "@/lib/reviews/queries";

// The inventory's filters and the reviews API read yes/no parameters with one
// rule, so `?x=`, `?x=1` and `?x=yes` mean the same thing on every list.
describe("yes/no query parameters", () => {
  const readers = {
    "inventory reviewOverdue": (value: string) => inventoryQuerySchema.safeParse({ reviewOverdue: value }),
    "reviews overdue": (value: string) => reviewListQuery.safeParse({ overdue: value }),
  };

  for (const [name, read] of Object.entries(readers)) {
    it(`${name}: "1"/"true" are yes, "0"/"false" no, empty is not given, anything else names the rule`, () => {
      const value = (raw: string) => {
        const result = read(raw);
        return result.success ? Object.values(result.data).find((entry) => typeof entry === "boolean") : result.error.issues[0]!.message;
      };
      expect([value("1"), value("true"), value("0"), value("false"), value(""), value("yes")]).toEqual([
        true,
        true,
        false,
        false,
        undefined,
        'must be "1" or "0"',
      ]);
    });
  }
});
