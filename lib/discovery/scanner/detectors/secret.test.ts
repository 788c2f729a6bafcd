import { describe, expect, it } from "vitest";
import { secretFingerprint } from "@/lib/discovery/fingerprint";
import { secretDetector } from "./secret";

// Built at run time so this file does not itself look like it holds secrets.
const fake = (prefix: string, length: number) => prefix + "aB3dE5gH7jK9mN1pQ2rS4tU6vW8xY0z".repeat(10).slice(0, length);

describe("the secret detector", () => {
  it("claims no file of its own: it reads only what the other detectors claim", () => {
    expect(secretDetector.claims(".env")).toBe(false);
    expect(secretDetector.claims(".mcp.json")).toBe(false);
  });

  it("reports each secret as HIGH with its kind, fingerprint and line, and never its value", () => {
    const slack = fake("xoxb-", 30);
    const npm = fake("npm_", 36);
    const text = `model: sonnet\nslack: ${slack}\n\nnpm: ${npm}\n`;
    const found = secretDetector.detect({ path: ".aider.conf.yml", text }, { repository: "acme/web" });
    expect(found).toEqual([
      expect.objectContaining({
        severity: "HIGH",
        line: 2,
        subject: `Slack token ${secretFingerprint(slack)}`,
        proposal: null,
        details: { kind: "Slack token", fingerprint: secretFingerprint(slack) },
      }),
      expect.objectContaining({ line: 4, subject: `npm token ${secretFingerprint(npm)}` }),
    ]);
    expect(JSON.stringify(found)).not.toContain(slack);
    expect(JSON.stringify(found)).not.toContain(npm);
  });

  it("finds nothing in a file without secrets", () => {
    expect(
      secretDetector.detect({ path: "AGENTS.md", text: "# Agents\nUse ${{ secrets.TOKEN }} in CI.\n" }, { repository: "acme/web" }),
    ).toEqual([]);
  });
});
