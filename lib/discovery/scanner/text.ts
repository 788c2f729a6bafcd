import { redactSecrets, type SecretMatch } from "@/lib/security/secret-detector";

// Lines and snippets of a footprint file. The snippet is taken from a copy of
// the file with every secret already replaced (masked keeps the line breaks a
// secret spanned, so line numbers still match the file): a window of lines in
// the middle of a private key would not look like a secret on its own.

export const SNIPPET_RADIUS = 2;
export const MAX_SNIPPET_CHARS = 2000;
const MAX_SNIPPET_LINE_CHARS = 300;

/** Offsets at which each line starts (line n starts at starts[n - 1]). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf("\n"); index !== -1; index = text.indexOf("\n", index + 1)) starts.push(index + 1);
  return starts;
}

/** The 1-based line holding the character at `index`. */
export function lineAt(starts: number[], index: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= index) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}

/** The text with each secret replaced by "[redacted: <kind>]" plus the line breaks it spanned. */
export function maskSecrets(text: string, secrets: SecretMatch[]): string {
  if (secrets.length === 0) return text;
  let masked = "";
  let from = 0;
  for (const { kind, index, length } of secrets) {
    const breaks = text.slice(index, index + length).split("\n").length - 1;
    masked += `${text.slice(from, index)}[redacted: ${kind}]${"\n".repeat(breaks)}`;
    from = index + length;
  }
  return masked + text.slice(from);
}

// A value under a credential-like key ("GITHUB_TOKEN": "…", api-key: …) is
// masked in snippets even when it matches no known secret shape: the finding
// needs the key's name, never its value. References (${{ secrets.X }},
// ${input:x}, $VAR) stay readable, since they are where the value comes from.
const SENSITIVE_KEY = String.raw`[\w.-]*(?:token|secret|passw(?:or)?d|api[_-]?key|access[_-]?key|private[_-]?key|authorization|credential|cookie)[\w.-]*`;
const SENSITIVE_JSON_VALUE = new RegExp(String.raw`("${SENSITIVE_KEY}"\s*:\s*)"(?!\$|\[redacted)((?:[^"\\]|\\.)+)"`, "gi");
const SENSITIVE_YAML_VALUE = new RegExp(
  String.raw`^(\s*(?:-\s+)?${SENSITIVE_KEY}\s*:[ \t]+)(?![$|>&*]|\[redacted|\[masked)(['"]?)(.*?)\2([ \t]+#.*)?$`,
  "i",
);

/** A URL's query string, where services often take a key (?api_key=…). */
const URL_QUERY = /(\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s"'?#]{1,300})\?[^\s"'#]{1,300}/gi;

/** The line with the values of credential-like keys, and URLs' query strings, replaced by [masked]. */
export function maskSensitiveValues(line: string): string {
  return line
    .replace(URL_QUERY, "$1?[masked]")
    .replace(SENSITIVE_JSON_VALUE, '$1"[masked]"')
    .replace(SENSITIVE_YAML_VALUE, (_match, key: string, quote: string, value: string, comment = "") =>
      value ? `${key}${quote}[masked]${quote}${comment}` : _match,
    );
}

/** Up to five lines around `line` of an already masked text, each cut to a readable length, redacted once more. */
export function snippetAround(maskedLines: string[], line: number): string {
  const first = Math.max(1, line - SNIPPET_RADIUS);
  const last = Math.min(maskedLines.length, line + SNIPPET_RADIUS);
  const lines = maskedLines
    .slice(first - 1, last)
    .map((text) => text.replace(/\r$/, ""))
    // Cut before masking, so the masks' patterns only ever see a short line.
    .map((text) => (text.length > MAX_SNIPPET_LINE_CHARS ? `${text.slice(0, MAX_SNIPPET_LINE_CHARS - 1)}…` : text))
    .map(maskSensitiveValues);
  return redactSecrets(lines.join("\n")).slice(0, MAX_SNIPPET_CHARS);
}
