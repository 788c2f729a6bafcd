import { describe, expect, it } from "vitest";
import { screenRawInput } from "@/lib/validation/raw-input";
import { detectSecret } from "./secret-detector";

// Built at run time so this file does not itself look like it holds secrets.
const fake = (prefix: string, length: number, alphabet = "aB3dE5gH7jK9mN1pQ2rS4tU6vW8xY0z") =>
  prefix + Array.from({ length }, (_, i) => alphabet[i % alphabet.length]).join("");

describe("detectSecret", () => {
  it.each([
    ["GitHub token", fake("ghp_", 36)],
    ["GitHub fine-grained token", fake("github_pat_", 82)],
    ["GitLab token", fake("glpat-", 20)],
    ["AWS access key", "AKIA" + "ABCDEFGHIJKLMNOP"],
    ["private key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----"],
    ["private key", "-----BEGIN RSA PRIVATE KEY-----"],
    ["Slack token", fake("xoxb-", 24)],
    ["Anthropic API key", fake("sk-ant-api03-", 40)],
    ["OpenAI API key", fake("sk-proj-", 48)],
    ["Stripe key", fake("sk_live_", 24)],
    ["npm token", fake("npm_", 36)],
    ["Google API key", fake("AIza", 35)],
    ["JSON Web Token", `${fake("eyJ", 20)}.${fake("eyJ", 30)}.${fake("", 30)}`],
    ["password in a connection string", "postgresql://app:hunter22@db.internal:5432/prod"],
    ["Warrant API token", fake("wrt_", 43)],
  ])("recognises a %s", (kind, text) => {
    expect(detectSecret(`token: ${text} `)).toBe(kind);
  });

  it.each([
    "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8",
    "secret/agents/claude-release",
    "arn:aws:iam::123456789012:role/ci-deploy",
    "Prepares release branches and changelogs for payments-api",
    "github.com/acme/payments-api",
    "postgresql://db.internal:5432/prod",
    "sk-short",
    "ghp_tooShort",
  ])("leaves ordinary text alone: %s", (text) => {
    expect(detectSecret(text)).toBeUndefined();
  });
});

describe("the input screen every mutation runs", () => {
  it("names the field of every secret in nested input", () => {
    const input = { name: "agent", notes: ["fine", fake("ghp_", 36)], credential: { label: fake("xoxb-", 24) } };
    const refused = screenRawInput(input);
    expect(Object.keys(refused)).toEqual(["notes.1", "credential.label"]);
    expect(refused["notes.1"]).toMatch(/^looks like a GitHub token\./);
    expect(refused["credential.label"]).toMatch(/^looks like a Slack token\./);
  });
});

describe("scanning long crafted text", () => {
  // Shapes that made the patterns backtrack: runs where a pattern's start
  // repeats inside the characters it then consumes (eyJ…, sk-…, wrt_…), and
  // scheme-like runs before a "://" that never comes.
  const MB = 1024 * 1024;
  const fill = (unit: string) => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
  it.each([
    ["repeated JWT starts", fill("eyJaaaaaaaaaa.")],
    ["JWT start inside a run", fill("eyJ-")],
    ["JWT halves", fill("eyJaaaaaaaaaaaa.eyJ")],
    ["OpenAI key starts", fill("sk-")],
    ["Warrant token starts", fill("wrt_")],
    ["a scheme that never ends", fill("a+")],
    ["URLs without a password", fill("a://b:ccc")],
    ["AWS words", fill("aws kkkkkkkkkkkkkkk ")],
    ["plain letters", fill("a")],
  ])("scans 1 MB of %s in well under 100 ms", (_name, text) => {
    // The issue asks for this timing. The bound is generous: a linear scan of
    // 1 MB takes a few milliseconds, while a pattern that backtracks takes
    // seconds to minutes. The best of three runs is taken, so a busy machine
    // or the first run's regex compilation does not decide the result.
    let best = Infinity;
    for (let run = 0; run < 3; run += 1) {
      const started = performance.now();
      detectSecret(text);
      best = Math.min(best, performance.now() - started);
    }
    expect(best).toBeLessThan(100);
  });
});
