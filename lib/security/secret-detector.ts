// Warrant stores metadata and fingerprints, never secrets. Any text that looks
// like a live credential is refused before it reaches validation, the database
// or a log line. The patterns are the well-known, high-confidence shapes
// (provider prefixes, PEM headers, JWTs); generic high-entropy guessing would
// refuse honest fingerprints and ids.

interface SecretPattern {
  kind: string;
  pattern: RegExp;
}

// Every pattern runs in time linear in the text, because Warrant scans what
// anyone sends it: each repetition has an upper bound, and a pattern whose
// start could recur inside the run it then consumes (eyJ…, glpat-…, xoxb-…, a
// URL scheme) may only start where such a run starts ((?<!…) below).
// Otherwise 1 MB of "eyJ-eyJ-…" makes the scan retry from every start and
// take minutes. A pattern that needs no text after its run matches its
// minimum length ({40}) instead of reading the whole run.
const PATTERNS: SecretPattern[] = [
  { kind: "private key", pattern: /-----BEGIN (?:[A-Z0-9]{1,20} ){0,4}PRIVATE KEY( BLOCK)?-----/ },
  { kind: "GitHub token", pattern: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}\b/ },
  { kind: "GitHub fine-grained token", pattern: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{60,255}\b/ },
  { kind: "GitLab token", pattern: /(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,255}\b/ },
  { kind: "AWS access key", pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/ },
  { kind: "AWS secret access key", pattern: /aws.{0,20}?(?:secret|key).{0,20}?[=:]\s{0,5}['"]?[A-Za-z0-9/+]{40}\b/i },
  { kind: "Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { kind: "Google service-account key", pattern: /"private_key_id"\s{0,5}:\s{0,5}"[0-9a-f]{40}"/ },
  { kind: "Slack token", pattern: /(?<![A-Za-z0-9-])xox[abposr]-[A-Za-z0-9-]{10,255}\b/ },
  { kind: "Slack webhook", pattern: /hooks\.slack\.com\/services\/T[A-Za-z0-9]{1,64}\/B[A-Za-z0-9]{1,64}\/[A-Za-z0-9]/ },
  { kind: "Anthropic API key", pattern: /\bsk-ant-[A-Za-z0-9_-]{20}/ },
  { kind: "OpenAI API key", pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32}/ },
  { kind: "Stripe key", pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,255}\b/ },
  { kind: "npm token", pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { kind: "PyPI token", pattern: /\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50}/ },
  { kind: "Azure storage key", pattern: /AccountKey=[A-Za-z0-9+/]{86}==/ },
  { kind: "Hugging Face token", pattern: /\bhf_[A-Za-z0-9]{34,255}\b/ },
  { kind: "Warrant API token", pattern: /\bwrt_[A-Za-z0-9_-]{40}/ },
  {
    kind: "JSON Web Token",
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,16384}\.eyJ[A-Za-z0-9_-]{10,16384}\.[A-Za-z0-9_-]{10}/,
  },
  {
    kind: "password in a connection string",
    pattern: /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,31}:\/\/[^/\s:@]{1,256}:[^/\s@]{3,256}@/i,
  },
];

/** The kind of secret the text looks like, or undefined. Never returns the secret itself. */
export function detectSecret(text: string): string | undefined {
  for (const { kind, pattern } of PATTERNS) if (pattern.test(text)) return kind;
  return undefined;
}

// The same patterns, global, for redaction. Detection only needs a secret's first characters (an
// OpenAI key's first 32), so a redaction also takes the rest of its run, and a private key's body
// up to its END line; a replace scans on from each match's end, so it stays linear in the text.
const REST_OF_RUN = "[A-Za-z0-9_\\-]{0,8192}";
const REDACTIONS = PATTERNS.map(({ kind, pattern }) => {
  let source = `${pattern.source}${REST_OF_RUN}`;
  if (kind === "private key") source = `${pattern.source}(?:[\\s\\S]{0,65536}?-----END [A-Z0-9 ]{0,80}-----|[\\s\\S]{0,65536})`;
  if (kind === "password in a connection string") source = pattern.source;
  return { kind, pattern: new RegExp(source, `${pattern.flags}g`) };
});

/**
 * The text with each secret it holds replaced by "[redacted: <kind>]". For
 * what Warrant must keep although it may carry a secret it did not ask for
 * (an agent's command, judged by the policies as sent): it stores the
 * redacted copy and never the secret.
 */
export function redactSecrets(text: string): string {
  if (detectSecret(text) === undefined) return text;
  let redacted = text;
  for (const { kind, pattern } of REDACTIONS) redacted = redacted.replace(pattern, `[redacted: ${kind}]`);
  return redacted;
}

/** A secret found in a text: its kind and where it is, so a caller can point at it or mask it. */
export interface SecretMatch {
  kind: string;
  index: number;
  length: number;
}

/**
 * Every secret in the text, whole (as redactSecrets would replace it), in the
 * order they appear. Where two patterns match overlapping text (a token inside
 * a connection string's password) the one listed first above wins, so each
 * secret is reported once. Each pattern is one global scan, so this stays
 * linear in the text like the rest of this module.
 */
export function findSecrets(text: string): SecretMatch[] {
  if (detectSecret(text) === undefined) return [];
  let found: SecretMatch[] = [];
  for (const { kind, pattern } of REDACTIONS) {
    // matchAll yields in order, so a walk alongside the (sorted) matches kept so far
    // checks overlaps, and a merge keeps them sorted: linear, however many matches.
    const kept: SecretMatch[] = [];
    let next = 0;
    for (const match of text.matchAll(pattern)) {
      const candidate = { kind, index: match.index, length: match[0].length };
      while (next < found.length && found[next]!.index + found[next]!.length <= candidate.index) next += 1;
      const overlapping = next < found.length && found[next]!.index < candidate.index + candidate.length;
      if (!overlapping) kept.push(candidate);
    }
    if (kept.length > 0) found = mergeByIndex(found, kept);
  }
  return found;
}

/** Two lists sorted by start, as one. */
function mergeByIndex(a: SecretMatch[], b: SecretMatch[]): SecretMatch[] {
  const merged: SecretMatch[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]!.index <= b[j]!.index)) merged.push(a[i++]!);
    else merged.push(b[j++]!);
  }
  return merged;
}

/** Every string in a JSON-like value (keys included) redacted; the same value when nothing was. */
export function redactSecretsIn<T>(value: T): T {
  if (typeof value === "string") return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactSecretsIn(item)) as T;
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redactSecrets(key), redactSecretsIn(item)])) as T;
  }
  return value;
}

export function secretRefusalMessage(kind: string): string {
  return `looks like a ${kind}. Warrant never stores secrets: record where it lives (vault path) and its fingerprint instead, and rotate it if it was shared`;
}
