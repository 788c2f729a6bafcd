// Reads RFC 4180 CSV (what Warrant's export and spreadsheets write): quoted
// fields may hold commas, doubled quotes and line breaks; CRLF or LF line
// ends; a UTF-8 byte-order mark is ignored. The export prefixes formula-like
// cells with ' (see csv.ts); that guard is removed here so a round trip is exact.

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    public readonly line: number,
  ) {
    super(`CSV line ${line}: ${message}`);
    this.name = "CsvSyntaxError";
  }
}

const FORMULA_GUARD = /^'(?=[=+\-@\t\r])/;

/** Parses CSV text into records (arrays of fields). Blank lines are skipped. */
export function parseCsv(text: string): string[][] {
  const input = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let fieldStarted = false;
  let line = 1;

  const endField = () => {
    record.push(fieldStarted ? field.replace(FORMULA_GUARD, "") : field);
    field = "";
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    if (!(record.length === 1 && record[0] === "")) records.push(record);
    record = [];
  };

  for (let i = 0; i < input.length; i += 1) {
    const char = input[i]!;
    if (quoted) {
      if (char === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i += 1;
        } else {
          quoted = false;
          const next = input[i + 1];
          if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
            throw new CsvSyntaxError("a closing quote must end the field", line);
          }
        }
      } else {
        if (char === "\n") line += 1;
        field += char;
      }
    } else if (char === '"' && field === "") {
      quoted = true;
      fieldStarted = true;
    } else if (char === ",") {
      endField();
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && input[i + 1] === "\n") i += 1;
      endRecord();
      line += 1;
    } else {
      if (char === '"') throw new CsvSyntaxError("a quote inside an unquoted field must be doubled inside a quoted field", line);
      field += char;
      fieldStarted = true;
    }
  }
  if (quoted) throw new CsvSyntaxError("a quoted field is not closed", line);
  if (field !== "" || record.length > 0) endRecord();
  return records;
}

/** Records with a header row → objects keyed by column name, with each record's line number (header = line 1). */
export function parseCsvObjects(text: string): { header: string[]; rows: { line: number; values: Record<string, string> }[] } {
  const [header, ...records] = parseCsv(text);
  if (!header) return { header: [], rows: [] };
  const names = header.map((name) => name.trim());
  return {
    header: names,
    rows: records.map((record, index) => ({
      line: index + 2,
      values: Object.fromEntries(names.map((name, column) => [name, (record[column] ?? "").trim()])),
    })),
  };
}
