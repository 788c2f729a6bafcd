import { parse as parseToml, TomlError } from "smol-toml";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import type { Footprint } from "./types";

// JSON and YAML footprints parsed with one parser, so a detector can say on
// which line a key is. JSON is (nearly) YAML: the `yaml` package reads it,
// trailing commas and tabs included, and keeps each node's position. Editor
// configs are often JSONC, so comments are blanked first (offsets kept).
// TOML (Codex's .codex/config.toml) has a parser of its own, which keeps no
// positions: the line of a key is found by reading the text's tables and keys.

export type StructuredFormat = "json" | "yaml" | "toml";

export interface StructuredDocument {
  value: unknown;
  /** The line of the key at that path (or of the deepest part of it found), 1 when none is. */
  lineOf(path: (string | number)[]): number;
}

export type ParseOutcome = { ok: true; document: StructuredDocument } | { ok: false; error: string; line: number };

export function parseStructured(text: string, format: StructuredFormat): ParseOutcome {
  if (format === "toml") return parseTomlDocument(text);
  const lineCounter = new LineCounter();
  const source = format === "json" ? blankJsonComments(text) : text;
  const document = parseDocument(source, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const error = document.errors[0];
  if (error) {
    const failure = { ok: false as const, error: error.message.split("\n")[0]!, line: lineCounter.linePos(error.pos[0]).line };
    return format === "json" ? (parsedAsPlainJson(source) ?? failure) : failure;
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    // An alias bomb or a similar shape the parser refuses to expand.
    return { ok: false, error: cause instanceof Error ? cause.message : String(cause), line: 1 };
  }
  return {
    ok: true,
    document: {
      value,
      lineOf(path) {
        let node: unknown = document.contents;
        let offset: number | undefined;
        for (const key of path) {
          if (isMap(node)) {
            const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
            if (!pair) break;
            offset = (pair.key as Node).range?.[0] ?? offset;
            node = pair.value;
          } else if (isSeq(node) && typeof key === "number") {
            const item = node.items[key] as Node | undefined;
            if (!item) break;
            offset = item.range?.[0] ?? offset;
            node = item;
          } else break;
        }
        return offset === undefined ? 1 : lineCounter.linePos(offset).line;
      },
    },
  };
}

function parseTomlDocument(text: string): ParseOutcome {
  let value: unknown;
  try {
    value = parseToml(text);
  } catch (cause) {
    if (cause instanceof TomlError) return { ok: false, error: cause.message.split("\n")[0]!, line: cause.line };
    return { ok: false, error: cause instanceof Error ? cause.message : String(cause), line: 1 };
  }
  const lines = tomlKeyLines(text);
  return {
    ok: true,
    document: {
      value,
      lineOf(path) {
        // The key itself, else the nearest table or key above it in the path (a server's [mcp_servers.x] for its command).
        for (let length = path.length; length > 0; length -= 1) {
          const line = lines.get(path.slice(0, length).map(String).join("\u0000"));
          if (line !== undefined) return line;
        }
        return 1;
      },
    },
  };
}

/** A TOML key, bare or quoted, then what follows it. */
const TOML_KEY = /^\s*(?:([A-Za-z0-9_-]+)|"((?:[^"\\]|\\.)*)"|'([^']*)')\s*/;

/** The dotted key at the start of `text` as its parts, and the rest of the text; undefined when none is there. */
function readDottedKey(text: string): { parts: string[]; rest: string } | undefined {
  const parts: string[] = [];
  let rest = text;
  for (;;) {
    const match = TOML_KEY.exec(rest);
    if (!match) return undefined;
    parts.push(match[1] ?? (match[2] !== undefined ? unescapeBasicString(match[2]) : match[3]!));
    rest = rest.slice(match[0].length);
    if (!rest.startsWith(".")) return { parts, rest };
    rest = rest.slice(1);
  }
}

/** A basic string's text with its escapes read; as written when it has one JSON does not know (TOML's \\U0001F600). */
function unescapeBasicString(text: string): string {
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return text;
  }
}

/**
 * The first line of each table header and key in a TOML text, keyed by its
 * full path (parts joined by NUL). Good enough for footprint files: lines
 * inside multi-line strings and arrays are rarely shaped like keys, and a
 * wrong guess only moves the line a finding points at.
 */
function tomlKeyLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let table: string[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    const header = /^\[\[?(.*?)\]\]?\s*(#.*)?$/.exec(line);
    let path: string[];
    if (header) {
      const key = readDottedKey(header[1]!);
      if (!key || key.rest.trim() !== "") return;
      // [a.b] is where a starts too, when nothing said so earlier.
      table = path = key.parts;
    } else {
      const key = readDottedKey(line);
      if (!key || !key.rest.startsWith("=")) return;
      path = [...table, ...key.parts];
    }
    for (let length = 1; length <= path.length; length += 1) {
      const id = path.slice(0, length).join("\u0000");
      if (!lines.has(id)) lines.set(id, index + 1);
    }
  });
  return lines;
}

/** Valid JSON the YAML parser refused (none is known, but JSON is only nearly YAML): its value, without line numbers. */
function parsedAsPlainJson(source: string): ParseOutcome | undefined {
  try {
    const value: unknown = JSON.parse(source);
    return { ok: true, document: { value, lineOf: () => 1 } };
  } catch {
    return undefined;
  }
}

/** The text with // and /* *\/ comments outside strings replaced by spaces (newlines kept), so positions do not move. */
export function blankJsonComments(text: string): string {
  if (!text.includes("/")) return text;
  const out = text.split("");
  let inString = false;
  for (let i = 0; i < out.length; i += 1) {
    const char = out[i];
    if (inString) {
      if (char === "\\") i += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "/" && out[i + 1] === "/") {
      for (; i < out.length && out[i] !== "\n"; i += 1) out[i] = " ";
    } else if (char === "/" && out[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end === -1 ? out.length : end + 2;
      for (; i < stop; i += 1) if (out[i] !== "\n") out[i] = " ";
      i -= 1;
    }
  }
  return out.join("");
}

/** The finding for a footprint file that does not parse: the tool is there, what it may do is unknown. */
export function unparsableFootprint(
  tool: string,
  path: string,
  format: StructuredFormat,
  failure: { error: string; line: number },
): Footprint {
  return {
    severity: "LOW",
    tool,
    subject: "unparsable file",
    title: `${tool} footprint ${path} is not valid ${format.toUpperCase()}; read nothing from it`,
    line: failure.line,
    proposal: null,
    details: { warning: `not valid ${format.toUpperCase()}: fix the file and scan again to see what it grants`, error: failure.error },
  };
}

/** The value as a plain object, or undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The value's strings when it is a list (others dropped), else []. */
export function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}
