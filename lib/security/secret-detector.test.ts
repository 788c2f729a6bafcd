import { describe, expect, it } from "vitest";
import { screenRawInput } from "@/lib/validation/raw-input";
import { detectSecret, findSecrets, redactSecrets, redactSecretsIn } from "./secret-detector";

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

describe("redactSecrets", () => {
  it("replaces each secret, all of it, with its kind and keeps the text around it", () => {
    const openAi = fake("sk-proj-", 120);
    const github = fake("ghp_", 36);
    const command = `curl -H "Authorization: Bearer ${openAi}" https://api.example.com && git clone https://x:${github}@github.com/a/b`;
    const redacted = redactSecrets(command);
    expect(redacted).toBe(
      'curl -H "Authorization: Bearer [redacted: OpenAI API key]" https://api.example.com && git clone https://x:[redacted: GitHub token]@github.com/a/b',
    );
    expect(detectSecret(redacted)).toBeUndefined();
    // Nothing of the key's tail is left behind (detection only needs its first characters).
    expect(redacted).not.toContain(openAi.slice(-40));
  });

  it("takes a private key's whole body, up to its END line", () => {
    const key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----";
    expect(redactSecrets(`echo '${key}' > id && ssh -i id host`)).toBe("echo '[redacted: private key]' > id && ssh -i id host");
  });

  it("leaves text without a secret as it is, and redacts every string of a JSON value", () => {
    expect(redactSecrets("git push origin main")).toBe("git push origin main");
    const token = fake("ghp_", 36);
    const value = { command: `gh auth login --with-token ${token}`, env: [{ [token]: 1 }], count: 2, ok: true, none: null };
    expect(redactSecretsIn(value)).toEqual({
      command: "gh auth login --with-token [redacted: GitHub token]",
      env: [{ "[redacted: GitHub token]": 1 }],
      count: 2,
      ok: true,
      none: null,
    });
    const clean = { command: "ls" };
    expect(redactSecretsIn(clean)).toEqual(clean);
  });
});

describe("findSecrets", () => {
  it("gives each secret's kind and whole extent, in order, and nothing for clean text", () => {
    const openAi = fake("sk-proj-", 120);
    const github = fake("ghp_", 36);
    const text = `key: ${openAi}\nurl: https://x:${github}@github.com/a/b\n`;
    const found = findSecrets(text);
    expect(found.map(({ kind }) => kind)).toEqual(["OpenAI API key", "GitHub token"]);
    expect(found.map(({ index, length }) => text.slice(index, index + length))).toEqual([openAi, github]);
    expect(findSecrets("git push origin main")).toEqual([]);
  });

  it("takes a private key from its BEGIN line to its END line", () => {
    const key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----";
    const text = `before\n${key}\nafter`;
    const [match] = findSecrets(text);
    expect(match).toEqual({ kind: "private key", index: 7, length: key.length });
  });

  it("keeps the first-listed kind where two patterns overlap", () => {
    const github = fake("ghp_", 36);
    const text = `git clone https://x:${github}@github.com/a/b and postgresql://app:hunter22@db:5432/prod`;
    expect(findSecrets(text).map(({ kind }) => kind)).toEqual(["GitHub token", "password in a connection string"]);
  });

  it("finds every one of tens of thousands of interleaved secrets in 1 MB, in order, in about a second at most", () => {
    // Two kinds in turn: each pattern's matches land between the other's, the case a sorted insert would make quadratic.
    const text = `${"AKIA" + "ABCDEFGHIJKLMNOP"} ${fake("ghp_", 36)} `.repeat(17_000);
    let best = Infinity;
    let found: ReturnType<typeof findSecrets> = [];
    for (let run = 0; run < 3; run += 1) {
      const started = performance.now();
      found = findSecrets(text);
      best = Math.min(best, performance.now() - started);
    }
    expect(found).toHaveLength(34_000);
    expect(found.slice(0, 3).map(({ kind }) => kind)).toEqual(["AWS access key", "GitHub token", "AWS access key"]);
    expect(found.every((match, i) => i === 0 || found[i - 1]!.index < match.index)).toBe(true);
    expect(best).toBeLessThan(1500);
  });

  it("scans 1 MB of repeated token starts in well under 100 ms", () => {
    const text = "eyJ-".repeat(262144);
    let best = Infinity;
    for (let run = 0; run < 3; run += 1) {
      const started = performance.now();
      findSecrets(`${text} ${fake("ghp_", 36)}`);
      best = Math.min(best, performance.now() - started);
    }
    expect(best).toBeLessThan(100);
  });
});
