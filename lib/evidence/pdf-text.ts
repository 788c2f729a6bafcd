// pdfkit's built-in fonts (Helvetica and friends) encode text as WinAnsi
// (Windows-1252): a character outside it comes out as a wrong glyph or a
// blank, silently. Everything the report prints goes through pdfText first,
// so names like "Łukasz" or a stray emoji print as something legible.

// Windows-1252's printable characters above Latin-1's range (its 0x80–0x9F block).
const WIN_ANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");

// Characters with no WinAnsi glyph and no decomposition, but an obvious stand-in.
const STAND_INS: Record<string, string> = {
  ł: "l",
  Ł: "L",
  đ: "d",
  Đ: "D",
  ı: "i",
  ħ: "h",
  Ħ: "H",
  ŋ: "n",
  "→": "->",
  "←": "<-",
  "⇒": "=>",
  "≤": "<=",
  "≥": ">=",
  "≠": "!=",
  "≈": "~",
  "−": "-",
  "‐": "-",
  "‑": "-",
  "‒": "-",
  "―": "—",
  "′": "'",
  "″": '"',
  "✓": "yes",
  "✔": "yes",
  "✗": "no",
  "✘": "no",
};

const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/;

function isWinAnsi(char: string): boolean {
  const code = char.codePointAt(0)!;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char);
}

/** Text that Helvetica can draw: unsupported characters become their base letter, a stand-in, or "?". Newlines are kept. */
export function pdfText(value: string): string {
  let out = "";
  for (const char of value.normalize("NFC")) {
    if (char === "\n") out += "\n";
    else if (/\s/.test(char)) out += " ";
    else if (ZERO_WIDTH.test(char)) continue;
    else if (STAND_INS[char] !== undefined) out += STAND_INS[char];
    else if (isWinAnsi(char)) out += char;
    else {
      // Decomposed, "ő" is "o" plus a combining mark that WinAnsi lacks; the base letter is kept.
      const base = char.normalize("NFD").replace(/\p{M}/gu, "");
      out += base !== "" && [...base].every(isWinAnsi) ? base : "?";
    }
  }
  return out;
}
