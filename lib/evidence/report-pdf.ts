import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import PDFDocument from "pdfkit";
import { pdfText } from "./pdf-text";
import { CONTROL_STATUS_LABELS, type ControlStatus, type Period } from "./types";

// The evidence package's human-readable report: what an auditor reads first.
// Title page, summary, control status by framework, exceptions, and who
// attested and approved what. Plain data in, a PDF streamed out: pdfkit
// writes each page as it is finished, so a long report is not held whole.

export interface ReportRequirement {
  code: string;
  title: string;
  /** Null when no control in Warrant assesses the requirement. */
  satisfied: boolean | null;
  controls: { controlId: string; title: string; status: ControlStatus }[];
}

export interface ReportFramework {
  id: string;
  title: string;
  requirements: ReportRequirement[];
}

export interface ReportException {
  control: string;
  /** What the exception covers: an identity, a credential, a team. */
  object: string;
  reason: string;
  expiresAt: Date | null;
  grantedBy: string;
  approvedBy: string | null;
}

export interface ReportAttestation {
  review: string;
  attestedBy: string;
  attestedAt: Date;
  outcome: string;
}

export interface ReportApproval {
  request: string;
  decision: string;
  decidedBy: string;
  decidedAt: Date;
  reason: string | null;
}

export interface EvidenceReport {
  organization: string;
  period: Period;
  scope: string;
  generatedAt: Date;
  generatedBy: string;
  packageId: string;
  summary: Record<ControlStatus, number>;
  frameworks: ReportFramework[];
  exceptions: ReportException[];
  attestations: ReportAttestation[];
  approvals: ReportApproval[];
}

export interface RenderOptions {
  /** Deflate the page streams (the default). Tests turn it off to read the text back. */
  compress?: boolean;
}

const MARGIN = 50;
const FOOTER_Y_FROM_BOTTOM = 32;
const CELL_PADDING = 4;
const TABLE_FONT_SIZE = 9;
const BORDER = "#c8ccd2";
const HEADER_FILL = "#eef0f3";
const STATUS_COLORS: Record<ControlStatus, string> = {
  passing: "#1a7f37",
  failing: "#cf222e",
  "not-applicable": "#57606a",
  excepted: "#9a6700",
};

/** "2026-11-30 14:05 UTC": reports are read across time zones, so times are UTC and say so. */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

const formatDay = (date: Date) => date.toISOString().slice(0, 10);

function requirementStatus(requirement: ReportRequirement): string {
  if (requirement.satisfied === null) return "Not assessed";
  return requirement.satisfied ? "Satisfied" : "Not satisfied";
}

interface Column {
  header: string;
  /** Share of the content width. */
  width: number;
}

class ReportWriter {
  constructor(private readonly doc: PDFKit.PDFDocument) {}

  private get left(): number {
    return this.doc.page.margins.left;
  }

  private get contentWidth(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  private get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  heading(text: string, size = 16): void {
    // Keep a heading with the start of what follows it (a sub-heading and a table row) rather than alone at a page's foot.
    if (this.doc.y + size * 2 + 90 > this.bottom) this.doc.addPage();
    this.doc.moveDown(0.6);
    this.doc
      .font("Helvetica-Bold")
      .fontSize(size)
      .fillColor("black")
      .text(pdfText(text), this.left, this.doc.y, { width: this.contentWidth });
    this.doc.moveDown(0.4);
  }

  paragraph(text: string, options: { bold?: boolean; size?: number; color?: string } = {}): void {
    this.doc
      .font(options.bold ? "Helvetica-Bold" : "Helvetica")
      .fontSize(options.size ?? 10)
      .fillColor(options.color ?? "black")
      .text(pdfText(text), this.left, this.doc.y, { width: this.contentWidth });
  }

  gap(lines = 0.5): void {
    this.doc.moveDown(lines);
  }

  /**
   * A table that breaks across pages, repeating its header row on each.
   * `colors` optionally colours one cell per row (the status column).
   */
  table(columns: Column[], rows: string[][], colors?: (row: number) => { column: number; color: string } | null): void {
    const doc = this.doc;
    const widths = columns.map((column) => column.width * this.contentWidth);
    const cellWidth = (index: number) => widths[index]! - 2 * CELL_PADDING;
    const maxRowHeight = this.bottom - doc.page.margins.top - 40;

    const heightOf = (cells: string[], font: string) => {
      doc.font(font).fontSize(TABLE_FONT_SIZE);
      const tallest = Math.max(...cells.map((cell, index) => doc.heightOfString(cell || " ", { width: cellWidth(index) })));
      return Math.min(tallest + 2 * CELL_PADDING, maxRowHeight);
    };

    const drawRow = (cells: string[], y: number, height: number, header: boolean, color: { column: number; color: string } | null) => {
      let x = this.left;
      cells.forEach((cell, index) => {
        const width = widths[index]!;
        if (header) doc.rect(x, y, width, height).fillAndStroke(HEADER_FILL, BORDER);
        else doc.rect(x, y, width, height).lineWidth(0.5).stroke(BORDER);
        doc
          .font(header ? "Helvetica-Bold" : "Helvetica")
          .fontSize(TABLE_FONT_SIZE)
          .fillColor(color && color.column === index ? color.color : "black")
          .text(cell, x + CELL_PADDING, y + CELL_PADDING, { width: cellWidth(index), height: height - 2 * CELL_PADDING, ellipsis: true });
        x += width;
      });
    };

    const headers = columns.map((column) => pdfText(column.header));
    const headerHeight = heightOf(headers, "Helvetica-Bold");
    let y = doc.y;
    const startPage = () => {
      drawRow(headers, y, headerHeight, true, null);
      y += headerHeight;
    };
    const bodies = rows.map((row) => row.map(pdfText));
    // The header never stands alone at the foot of a page: it starts where its first row fits too.
    const firstHeight = bodies.length > 0 ? heightOf(bodies[0]!, "Helvetica") : 0;
    if (y + headerHeight + firstHeight > this.bottom) {
      doc.addPage();
      y = doc.y;
    }
    startPage();
    bodies.forEach((cells, index) => {
      const height = heightOf(cells, "Helvetica");
      if (y + height > this.bottom) {
        doc.addPage();
        y = doc.y;
        startPage();
      }
      drawRow(cells, y, height, false, colors ? colors(index) : null);
      y += height;
    });
    doc.fillColor("black");
    doc.x = this.left;
    doc.y = y + CELL_PADDING * 2;
  }
}

/** Renders the report as a PDF into `output` and resolves once `output` has finished. */
export async function renderEvidenceReport(report: EvidenceReport, output: Writable, options: RenderOptions = {}): Promise<void> {
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    autoFirstPage: false,
    compress: options.compress ?? true,
    info: {
      Title: pdfText(`Evidence report: ${report.organization}`),
      Author: "Warrant",
      Subject: pdfText(`${formatDay(report.period.from)} to ${formatDay(report.period.to)}`),
      // A fixed date (not "now") so the same package data renders the same bytes.
      CreationDate: report.generatedAt,
      ModDate: report.generatedAt,
    },
  });
  const done = finished(output);
  doc.pipe(output);

  const periodText = `${formatUtc(report.period.from)} to ${formatUtc(report.period.to)}`;
  let pageNumber = 0;
  // Footers go in the bottom margin; with the margin briefly zero, pdfkit does not start yet another page for them.
  doc.on("pageAdded", () => {
    pageNumber += 1;
    const { x, y } = doc;
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font("Helvetica")
      .fontSize(8)
      .fillColor("#57606a")
      .text(
        pdfText(`Warrant evidence report · ${report.organization} · ${periodText} · page ${pageNumber}`),
        MARGIN,
        doc.page.height - FOOTER_Y_FROM_BOTTOM,
        {
          width: doc.page.width - 2 * MARGIN,
          align: "center",
          lineBreak: false,
        },
      );
    doc.page.margins.bottom = bottomMargin;
    doc.fillColor("black");
    doc.x = x;
    doc.y = y;
  });

  const writer = new ReportWriter(doc);
  writeTitlePage(doc, writer, report, periodText);
  doc.addPage();
  writeSummary(writer, report);
  writeFrameworks(writer, report);
  writeExceptions(writer, report);
  writeAttestationsAndApprovals(writer, report);
  doc.end();
  await done;
}

function writeTitlePage(doc: PDFKit.PDFDocument, writer: ReportWriter, report: EvidenceReport, periodText: string): void {
  doc.addPage();
  doc.y = 200;
  writer.paragraph("Evidence report", { bold: true, size: 28 });
  writer.gap(0.3);
  writer.paragraph(report.organization, { size: 16, color: "#57606a" });
  writer.gap(2);
  const lines: [string, string][] = [
    ["Period", periodText],
    ["Scope", report.scope],
    ["Frameworks", report.frameworks.map((framework) => framework.title).join(", ") || "None"],
    ["Generated", `${formatUtc(report.generatedAt)} by ${report.generatedBy}`],
    ["Evidence package", report.packageId],
  ];
  for (const [label, value] of lines) {
    writer.paragraph(label, { bold: true, size: 10 });
    writer.paragraph(value, { size: 11 });
    writer.gap(0.6);
  }
  writer.gap(2);
  writer.paragraph(
    "This report summarises the evidence package it came with. The package's manifest lists every file with its SHA-256 and is signed; verify the package before relying on this report.",
    { size: 9, color: "#57606a" },
  );
}

function writeSummary(writer: ReportWriter, report: EvidenceReport): void {
  writer.heading("Summary", 20);
  const statuses: ControlStatus[] = ["passing", "failing", "not-applicable", "excepted"];
  const total = statuses.reduce((sum, status) => sum + report.summary[status], 0);
  writer.paragraph(`${total} controls were evaluated at the end of the period.`);
  writer.gap();
  writer.table(
    [
      { header: "Control status", width: 0.7 },
      { header: "Controls", width: 0.3 },
    ],
    [...statuses.map((status) => [CONTROL_STATUS_LABELS[status], String(report.summary[status])]), ["Total", String(total)]],
    (row) => (row < statuses.length ? { column: 0, color: STATUS_COLORS[statuses[row]!] } : null),
  );
  if (report.frameworks.length > 0) {
    writer.gap();
    writer.table(
      [
        { header: "Framework", width: 0.46 },
        { header: "Satisfied", width: 0.18 },
        { header: "Not satisfied", width: 0.18 },
        { header: "Not assessed", width: 0.18 },
      ],
      report.frameworks.map((framework) => {
        const count = (satisfied: boolean | null) => framework.requirements.filter((r) => r.satisfied === satisfied).length;
        return [framework.title, String(count(true)), String(count(false)), String(count(null))];
      }),
    );
  }
}

function writeFrameworks(writer: ReportWriter, report: EvidenceReport): void {
  writer.heading("Control status by framework", 20);
  if (report.frameworks.length === 0) writer.paragraph("No framework was in scope.");
  for (const framework of report.frameworks) {
    writer.heading(framework.title, 13);
    if (framework.requirements.length === 0) {
      writer.paragraph("No requirement of this framework was assessed.");
      continue;
    }
    writer.table(
      [
        { header: "Requirement", width: 0.38 },
        { header: "Controls", width: 0.44 },
        { header: "Status", width: 0.18 },
      ],
      framework.requirements.map((requirement) => [
        `${requirement.code}  ${requirement.title}`,
        requirement.controls
          .map((control) => `${control.controlId} ${control.title}: ${CONTROL_STATUS_LABELS[control.status]}`)
          .join("\n") || "No control assesses it",
        requirementStatus(requirement),
      ]),
      (row) => {
        const satisfied = framework.requirements[row]!.satisfied;
        if (satisfied === null) return null;
        return { column: 2, color: satisfied ? STATUS_COLORS.passing : STATUS_COLORS.failing };
      },
    );
  }
}

function writeExceptions(writer: ReportWriter, report: EvidenceReport): void {
  writer.heading("Exceptions", 20);
  if (report.exceptions.length === 0) {
    writer.paragraph("No exception was in force during the period.");
    return;
  }
  writer.table(
    [
      { header: "Control", width: 0.16 },
      { header: "Object", width: 0.18 },
      { header: "Reason", width: 0.3 },
      { header: "Expires", width: 0.14 },
      { header: "Who", width: 0.22 },
    ],
    report.exceptions.map((exception) => [
      exception.control,
      exception.object,
      exception.reason,
      exception.expiresAt ? formatDay(exception.expiresAt) : "Never",
      exception.approvedBy ? `Granted by ${exception.grantedBy}, approved by ${exception.approvedBy}` : `Granted by ${exception.grantedBy}`,
    ]),
  );
}

function writeAttestationsAndApprovals(writer: ReportWriter, report: EvidenceReport): void {
  writer.heading("Attestations and approvals", 20);
  writer.heading("Reviews attested", 13);
  if (report.attestations.length === 0) writer.paragraph("No review was attested during the period.");
  else {
    writer.table(
      [
        { header: "Review", width: 0.4 },
        { header: "Attested by", width: 0.22 },
        { header: "When", width: 0.18 },
        { header: "Outcome", width: 0.2 },
      ],
      report.attestations.map((attestation) => [
        attestation.review,
        attestation.attestedBy,
        formatUtc(attestation.attestedAt),
        attestation.outcome,
      ]),
    );
  }
  writer.heading("Approval decisions", 13);
  if (report.approvals.length === 0) writer.paragraph("No approval was decided during the period.");
  else {
    writer.table(
      [
        { header: "Request", width: 0.3 },
        { header: "Decision", width: 0.12 },
        { header: "Decided by", width: 0.18 },
        { header: "When", width: 0.16 },
        { header: "Reason", width: 0.24 },
      ],
      report.approvals.map((approval) => [
        approval.request,
        approval.decision,
        approval.decidedBy,
        formatUtc(approval.decidedAt),
        approval.reason ?? "",
      ]),
    );
  }
}
