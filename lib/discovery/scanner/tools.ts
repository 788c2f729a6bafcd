import type { ProposedIdentity } from "@/lib/validation/discovery";

// The AI tools the detectors recognise, with who makes them: one list, so a
// tool is named the same way whichever footprint found it.

export interface KnownTool {
  tool: string;
  vendor: string;
  product: string;
}

export const TOOLS = {
  claudeCode: { tool: "Claude Code", vendor: "Anthropic", product: "Claude Code" },
  claudeDesktop: { tool: "Claude Desktop", vendor: "Anthropic", product: "Claude Desktop" },
  codex: { tool: "Codex", vendor: "OpenAI", product: "Codex" },
  copilot: { tool: "GitHub Copilot", vendor: "GitHub", product: "GitHub Copilot" },
  cursor: { tool: "Cursor", vendor: "Anysphere", product: "Cursor" },
  gemini: { tool: "Gemini CLI", vendor: "Google", product: "Gemini CLI" },
  aider: { tool: "Aider", vendor: "Aider", product: "Aider" },
  continue: { tool: "Continue", vendor: "Continue", product: "Continue" },
  windsurf: { tool: "Windsurf", vendor: "Windsurf", product: "Windsurf" },
  cline: { tool: "Cline", vendor: "Cline", product: "Cline" },
  vscode: { tool: "VS Code agent mode", vendor: "Microsoft", product: "Visual Studio Code" },
} satisfies Record<string, KnownTool>;

/**
 * A proposed identity's name: what it is and the repository it was found in,
 * in the characters an identity's name may use (letters, digits, spaces and
 * . _ - : @ / +), at most 120 of them.
 */
export function proposalName(...parts: string[]): string {
  return clip(
    parts
      .filter(Boolean)
      .join(" - ")
      .replace(/[^\w .:@/+-]/g, "-"),
    120,
  );
}

/** The text cut to at most `max` characters, marked with … when cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A proposal for a known tool: its vendor and product filled in. */
export function toolProposal(
  known: KnownTool,
  fields: Omit<ProposedIdentity, "vendor" | "product"> & Partial<Pick<ProposedIdentity, "vendor" | "product">>,
): ProposedIdentity {
  return { vendor: known.vendor, product: known.product, ...fields };
}
