import type { IdentityKind } from "@/lib/db/generated/enums";
import { proposalName, TOOLS, toolProposal, type KnownTool } from "../tools";
import type { Detector } from "../types";

// Instruction files are written for an AI tool to read: weak evidence (LOW)
// that the tool is used on this repository, and nothing about what it may
// do, so the proposal asks for READ only. One finding per file.

interface InstructionFile {
  pattern: RegExp;
  known: KnownTool;
  kind: IdentityKind;
}

const INSTRUCTION_FILES: InstructionFile[] = [
  // AGENTS.md is read by Codex and by several other agents; Codex is the one that defined it.
  { pattern: /(^|\/)AGENTS\.md$/, known: TOOLS.codex, kind: "CODING_AGENT" },
  { pattern: /(^|\/)CLAUDE(\.local)?\.md$/, known: TOOLS.claudeCode, kind: "CODING_AGENT" },
  { pattern: /(^|\/)\.claude\/(commands|agents)\/[^/]+\.md$/, known: TOOLS.claudeCode, kind: "CODING_AGENT" },
  { pattern: /(^|\/)GEMINI\.md$/, known: TOOLS.gemini, kind: "CODING_AGENT" },
  { pattern: /^\.github\/copilot-instructions\.md$/, known: TOOLS.copilot, kind: "IDE_ASSISTANT" },
  { pattern: /^\.github\/instructions\/[^/]+\.instructions\.md$/, known: TOOLS.copilot, kind: "IDE_ASSISTANT" },
  { pattern: /(^|\/)\.cursorrules$/, known: TOOLS.cursor, kind: "IDE_ASSISTANT" },
  { pattern: /(^|\/)\.cursor\/rules\/.+\.mdc?$/, known: TOOLS.cursor, kind: "IDE_ASSISTANT" },
  { pattern: /(^|\/)\.windsurfrules$/, known: TOOLS.windsurf, kind: "IDE_ASSISTANT" },
  { pattern: /(^|\/)\.windsurf\/rules\/[^/]+\.md$/, known: TOOLS.windsurf, kind: "IDE_ASSISTANT" },
  { pattern: /(^|\/)\.clinerules(\/[^/]+\.md)?$/, known: TOOLS.cline, kind: "CODING_AGENT" },
  { pattern: /(^|\/)\.continue\/rules\/[^/]+\.md$/, known: TOOLS.continue, kind: "IDE_ASSISTANT" },
];

function instructionFor(path: string): InstructionFile | undefined {
  return INSTRUCTION_FILES.find(({ pattern }) => pattern.test(path));
}

export const instructionFileDetector: Detector = {
  id: "instruction-file",
  claims: (path) => instructionFor(path) !== undefined,
  detect(file, { repository }) {
    const { known, kind } = instructionFor(file.path)!;
    const lines = file.text.split("\n");
    const headings = lines.filter((line) => /^#{1,3}\s/.test(line)).slice(0, 10);
    return [
      {
        severity: "LOW",
        tool: known.tool,
        subject: "instructions",
        title: `Instructions for ${known.tool} (${file.path.split("/").pop()}): the tool is likely used on this repository`,
        line: 1,
        proposal: toolProposal(known, {
          kind,
          name: proposalName(known.tool, repository),
          autonomy: kind === "IDE_ASSISTANT" ? "SUGGEST" : "DRAFT",
          permissions: ["READ"],
          capabilities: [],
        }),
        details: { lines: lines.length, headings },
      },
    ];
  },
};
