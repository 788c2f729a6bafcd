import { describe, expect, it } from "vitest";
import { CsvSyntaxError, parseCsv, parseCsvObjects } from "./csv-parse";

describe("parseCsv", () => {
  it("reads quoted fields with commas, doubled quotes and line breaks", () => {
    expect(parseCsv('a,"b, c","say ""hi""","two\r\nlines"\r\n1,2,3,4\r\n')).toEqual([
      ["a", "b, c", 'say "hi"', "two\r\nlines"],
      ["1", "2", "3", "4"],
    ]);
  });

  it("accepts LF line ends, a byte-order mark, empty fields and a missing final newline", () => {
    expect(parseCsv("\uFEFFname,purpose\nx,\n,y")).toEqual([
      ["name", "purpose"],
      ["x", ""],
      ["", "y"],
    ]);
  });

  it("skips blank lines", () => {
    expect(parseCsv("a\n\nb\n")).toEqual([["a"], ["b"]]);
  });

  it("removes the export's formula guard so values round-trip", () => {
    expect(parseCsv("'=SUM(A1),'-1,'plain,\"'@x\"")).toEqual([["=SUM(A1)", "-1", "'plain", "@x"]]);
  });

  it("names the line of a syntax error", () => {
    expect(() => parseCsv('a,b\n"open,c\n')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a,b\nx,y"z\n')).toThrow(/CSV line 2/);
  });
});

describe("parseCsvObjects", () => {
  it("keys each record by the header and numbers lines as a spreadsheet does", () => {
    expect(parseCsvObjects("name, environment\nbot,DEV\nagent,PROD\n")).toEqual({
      header: ["name", "environment"],
      rows: [
        { line: 2, values: { name: "bot", environment: "DEV" } },
        { line: 3, values: { name: "agent", environment: "PROD" } },
      ],
    });
  });
});
