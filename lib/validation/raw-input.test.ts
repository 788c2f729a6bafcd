import { describe, expect, it } from "vitest";
import { screenRawInput } from "./raw-input";

describe("screenRawInput", () => {
  it("refuses input nested deeper than any schema allows, naming where, instead of exhausting the stack", () => {
    // A 1 MiB JSON body can nest arrays 500,000 deep; walking that recursively threw RangeError (an HTTP 500).
    let deep: unknown = "leaf";
    for (let level = 0; level < 400_000; level += 1) deep = [deep];
    const refused = screenRawInput({ tags: deep });
    expect(Object.keys(refused)).toHaveLength(1);
    const [field, message] = Object.entries(refused)[0]!;
    expect(field.startsWith("tags.0.0")).toBe(true);
    expect(message).toMatch(/nested too deeply/);
  });

  it("accepts the shapes mutations take: objects with arrays of strings and of objects", () => {
    expect(screenRawInput({ name: "ok", grantIds: ["a", "b"], rows: [{ line: 1, cells: ["x"] }] })).toEqual({});
  });
});
