import { describe, expect, it } from "vitest";
import { resolveCallbackUrl } from "./callback-url";

const APP = "http://127.0.0.1:3200";

describe("resolveCallbackUrl", () => {
  it("keeps a local path with its query and fragment", () => {
    expect(resolveCallbackUrl("/inventory?status=ACTIVE#top", APP)).toBe("/inventory?status=ACTIVE#top");
  });

  it("keeps an absolute URL on the app's own origin, as a path", () => {
    expect(resolveCallbackUrl("http://127.0.0.1:3200/audit", APP)).toBe("/audit");
  });

  it.each([
    ["/\\evil.example"],
    ["/\\/evil.example/path"],
    ["//evil.example"],
    ["\\\\evil.example"],
    ["https://evil.example/"],
    ["http://localhost:3200/"],
    ["javascript:alert(1)"],
    ["/%5Cevil.example"],
  ])("sends %s to the dashboard instead of another origin", (value) => {
    const resolved = resolveCallbackUrl(value, APP);
    expect(new URL(resolved, APP).origin).toBe(APP);
    expect(resolved.startsWith("/") && !resolved.startsWith("//") && !resolved.startsWith("/\\")).toBe(true);
  });

  it("falls back to the dashboard for anything that is not a string", () => {
    expect(resolveCallbackUrl(null, APP)).toBe("/");
    expect(resolveCallbackUrl(undefined, APP)).toBe("/");
    expect(resolveCallbackUrl("", APP)).toBe("/");
  });

  it("resolves relative to the app's root, not to the sign-in page", () => {
    expect(resolveCallbackUrl("inventory", APP)).toBe("/inventory");
  });
});
