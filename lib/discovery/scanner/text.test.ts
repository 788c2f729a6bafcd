import { describe, expect, it } from "vitest";
import { findSecrets } from "@/lib/security/secret-detector";
import { lineAt, lineStarts, maskSecrets, maskSensitiveValues, snippetAround } from "./text";

describe("snippets", () => {
  it("mask the values of credential-like keys, JSON and YAML, but keep references to where they come from", () => {
    expect(maskSensitiveValues('    "env": { "GITHUB_TOKEN": "plain-value", "LOG_LEVEL": "debug" },')).toBe(
      '    "env": { "GITHUB_TOKEN": "[masked]", "LOG_LEVEL": "debug" },',
    );
    expect(maskSensitiveValues('  "headers": { "Authorization": "Bearer abc" }')).toBe('  "headers": { "Authorization": "[masked]" }');
    expect(maskSensitiveValues('  "API_KEY": "${input:api-key}"')).toBe('  "API_KEY": "${input:api-key}"');
    expect(maskSensitiveValues("openai-api-key: plain-value")).toBe("openai-api-key: [masked]");
    expect(maskSensitiveValues("  password: 'hunter2'")).toBe("  password: '[masked]'");
    expect(maskSensitiveValues("          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}")).toBe(
      "          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}",
    );
    expect(maskSensitiveValues("model: sonnet")).toBe("model: sonnet");
    expect(maskSensitiveValues('  "GITHUB_TOKEN": "[redacted: GitHub token]"')).toBe('  "GITHUB_TOKEN": "[redacted: GitHub token]"');
    expect(maskSensitiveValues('"url": "https://mcp.example.com/sse?api_key=abc&x=1"')).toBe(
      '"url": "https://mcp.example.com/sse?[masked]"',
    );
    expect(maskSensitiveValues("  token_limit: 4000 # tokens")).toBe("  token_limit: [masked] # tokens");
  });

  it("keep line numbers when a masked secret spanned lines, and show at most five lines", () => {
    const key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx\nMIIEowIBAAKCAQEAy\n-----END RSA PRIVATE KEY-----";
    const text = `a\nb\n${key}\nc\nd\ne\n`;
    const masked = maskSecrets(text, findSecrets(text));
    expect(masked.split("\n")).toHaveLength(text.split("\n").length);
    expect(lineAt(lineStarts(text), text.indexOf("\nc\n") + 1)).toBe(7);
    expect(snippetAround(masked.split("\n"), 7)).toBe("\n\nc\nd\ne");
    expect(snippetAround(masked.split("\n"), 3)).toBe("a\nb\n[redacted: private key]\n\n");
    expect(snippetAround(masked.split("\n"), 5)).not.toContain("MIIE");
  });
});
