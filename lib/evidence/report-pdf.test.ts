import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { pdfText } from "./pdf-text";
import { renderEvidenceReport, type EvidenceReport } from "./report-pdf";
import { sampleReport } from "./test-helpers";

async function render(report: EvidenceReport, compress = false): Promise<Buffer> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on("data", (chunk: Buffer) => chunks.push(chunk));
  await renderEvidenceReport(report, output, { compress });
  return Buffer.concat(chunks);
}

// Windows-1252's 0x80–0x9F block (Node's TextDecoder decodes "windows-1252" as Latin-1 there).
const CP1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";
const winAnsi = (bytes: Buffer) =>
  [...bytes].map((byte) => (byte >= 0x80 && byte < 0xa0 ? CP1252_HIGH[byte - 0x80] : String.fromCharCode(byte))).join("");

/**
 * The text of an uncompressed pdfkit PDF, one string per line drawn: pdfkit
 * writes each line as WinAnsi hex strings in one TJ array, split only where
 * it kerns, so joining an array's strings gives the line back.
 */
function textOf(pdf: Buffer): string[] {
  const source = pdf.toString("latin1");
  return [...source.matchAll(/\[((?:<[0-9a-f]*>\s*-?[\d.]*\s*)+)\]\s*TJ/g)].map((match) =>
    [...match[1]!.matchAll(/<([0-9a-f]*)>/g)].map((hex) => winAnsi(Buffer.from(hex[1]!, "hex"))).join(""),
  );
}

const pageCount = (pdf: Buffer) => [...pdf.toString("latin1").matchAll(/\/Type \/Page\b/g)].length;

describe("renderEvidenceReport", () => {
  it("renders a PDF whose headings and rows can be read back", async () => {
    const pdf = await render(sampleReport(5));
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = textOf(pdf);
    for (const heading of [
      "Evidence report",
      "Summary",
      "Control status by framework",
      "Exceptions",
      "Attestations and approvals",
      "Reviews attested",
      "Approval decisions",
    ]) {
      expect(text).toContain(heading);
    }
    expect(text).toContain("AC-2  Requirement number 2 with a title ");
    expect(text).toContain("WAR-REV-2 Access is reviewed every quarter: ");
    const flowing = text.join(" ").replace(/\s+/g, " ");
    expect(flowing).toContain("Granted by lead@example.com, approved by ciso@example.com");
    // Characters Helvetica cannot draw were replaced, not dropped into a wrong glyph.
    expect(text).toContain("Example Corp — Lódz office yes");
    expect(text.join("\n")).toContain("Release window ?");
  });

  it("breaks a long table across pages, repeating its header row", async () => {
    const short = await render(sampleReport(5));
    const long = await render(sampleReport(120));
    expect(pageCount(long)).toBeGreaterThan(pageCount(short) + 3);
    const text = textOf(long);
    // The framework table's header ("Requirement", "Controls", "Status") appears once per page it spans.
    expect(text.filter((line) => line === "Requirement").length).toBeGreaterThan(3);
    expect(text).toContain("AC-120  Requirement number 120 with a ");
    expect(text.some((line) => /^Warrant evidence report · .* · page \d+$/.test(line))).toBe(true);
  });

  it("says so when a section has nothing to show", async () => {
    const text = textOf(await render({ ...sampleReport(1), frameworks: [], exceptions: [], attestations: [], approvals: [] }));
    expect(text).toContain("No framework was in scope.");
    expect(text).toContain("No exception was in force during the period.");
    expect(text).toContain("No review was attested during the period.");
    expect(text).toContain("No approval was decided during the period.");
  });

  it("compresses by default and renders the same bytes for the same data", async () => {
    const first = await render(sampleReport(40), true);
    const second = await render(sampleReport(40), true);
    expect(first.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(first.length).toBeLessThan((await render(sampleReport(40))).length);
    expect(first.equals(second)).toBe(true);
  });
});

describe("pdfText", () => {
  it("keeps what WinAnsi can draw and replaces the rest", () => {
    expect(pdfText("Zoë – “quoted” … €5 • ok")).toBe("Zoë – “quoted” … €5 • ok");
    expect(pdfText("Łukasz Wałęsa, Őry, Dvořák")).toBe("Lukasz Walesa, Ory, Dvorák");
    expect(pdfText("a → b ≥ c ✓")).toBe("a -> b >= c yes");
    expect(pdfText("日本 🚀 x")).toBe("?? ? x");
    expect(pdfText("tab\there\u200bzero\nline")).toBe("tab herezero\nline");
    expect(pdfText("e\u0301")).toBe("é");
  });
});
