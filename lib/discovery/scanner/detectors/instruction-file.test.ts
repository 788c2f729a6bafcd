import { describe, expect, it } from "vitest";
import { instructionFileDetector } from "./instruction-file";

describe("the instruction file detector", () => {
  it.each([
    ["AGENTS.md", "Codex", "CODING_AGENT"],
    ["packages/api/AGENTS.md", "Codex", "CODING_AGENT"],
    ["CLAUDE.md", "Claude Code", "CODING_AGENT"],
    ["GEMINI.md", "Gemini CLI", "CODING_AGENT"],
    [".github/copilot-instructions.md", "GitHub Copilot", "IDE_ASSISTANT"],
    [".github/instructions/tests.instructions.md", "GitHub Copilot", "IDE_ASSISTANT"],
    [".cursorrules", "Cursor", "IDE_ASSISTANT"],
    [".cursor/rules/style.mdc", "Cursor", "IDE_ASSISTANT"],
    [".windsurfrules", "Windsurf", "IDE_ASSISTANT"],
  ])("reports %s as weak evidence of %s, READ only", (path, tool, kind) => {
    expect(instructionFileDetector.claims(path)).toBe(true);
    const [finding] = instructionFileDetector.detect(
      { path, text: "# Conventions\n\nRun npm test.\n## Style\n" },
      { repository: "acme/web" },
    );
    expect(finding).toMatchObject({
      severity: "LOW",
      tool,
      subject: "instructions",
      line: 1,
      proposal: { kind, permissions: ["READ"] },
      details: { headings: ["# Conventions", "## Style"] },
    });
  });

  it.each(["README.md", "docs/agents.md", "agents.md", "CONTRIBUTING.md", ".github/copilot-instructions.txt", "src/cursorrules"])(
    "leaves %s alone",
    (path) => {
      expect(instructionFileDetector.claims(path)).toBe(false);
    },
  );
});
