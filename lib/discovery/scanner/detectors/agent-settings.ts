import type { Autonomy, Permission } from "@/lib/db/generated/enums";
import { asRecord, asStrings, parseStructured, unparsableFootprint, type StructuredDocument, type StructuredFormat } from "../structured";
import { clip, proposalName, TOOLS, toolProposal, type KnownTool } from "../tools";
import type { Detector, DetectorContext, Footprint, FootprintFile } from "../types";

// An agent's settings file says what the agent may do in this repository
// without asking. One finding per file, the agent as a CODING_AGENT proposal.
// Formats checked against each tool's documentation:
// - Claude Code .claude/settings(.local).json: permissions { allow, deny, ask,
//   defaultMode }, hooks { <event>: [{ matcher, hooks: [{ type, command }] }] },
//   env { NAME: value }.
// - Aider .aider.conf.yml: its command-line options as keys (model,
//   yes-always, auto-commits (default true), test-cmd, lint-cmd, read, …).
// - Continue .continue/config.yaml|json: models [{ name, provider, model }],
//   rules, mcpServers (reported by the mcp-config detector).
// - Codex .codex/config.toml (read only in a project its user trusts):
//   approval_policy (untrusted, on-failure, on-request, never), sandbox_mode
//   (read-only, workspace-write, danger-full-access),
//   [sandbox_workspace_write] network_access, model, [mcp_servers.*]
//   (reported by the mcp-config detector).

interface SettingsFile {
  pattern: RegExp;
  known: KnownTool;
  format: StructuredFormat;
  read(document: StructuredDocument, file: FootprintFile, context: DetectorContext): Footprint;
}

/** Claude Code's tools that change files or run commands. */
const WRITING_TOOLS = new Set(["Edit", "Write", "MultiEdit", "NotebookEdit", "Bash"]);

/** The tool a permission rule names: "Bash(npm run test:*)" → "Bash". */
function ruleTool(rule: string): string {
  return rule.split("(")[0]!.trim();
}

function readClaudeSettings(document: StructuredDocument, file: FootprintFile, { repository }: DetectorContext): Footprint {
  const settings = asRecord(document.value) ?? {};
  const permissions = asRecord(settings.permissions) ?? {};
  const allow = asStrings(permissions.allow);
  const deny = asStrings(permissions.deny);
  const ask = asStrings(permissions.ask);
  const defaultMode = typeof permissions.defaultMode === "string" ? permissions.defaultMode : undefined;
  const hooks = Object.entries(asRecord(settings.hooks) ?? {}).map(([event, groups]) => ({
    event,
    handlers: (Array.isArray(groups) ? groups : []).map((group) => {
      const record = asRecord(group) ?? {};
      return {
        matcher: typeof record.matcher === "string" ? record.matcher : undefined,
        commands: (Array.isArray(record.hooks) ? record.hooks : []).flatMap((hook) => {
          const handler = asRecord(hook);
          if (!handler) return [];
          return [
            typeof handler.command === "string"
              ? handler.command
              : typeof handler.url === "string"
                ? handler.url
                : String(handler.type ?? "hook"),
          ];
        }),
      };
    }),
  }));

  const allowedTools = new Set(allow.map(ruleTool));
  const askedTools = new Set(ask.map(ruleTool));
  const writes =
    [...allowedTools].some((tool) => WRITING_TOOLS.has(tool)) || defaultMode === "acceptEdits" || defaultMode === "bypassPermissions";
  const actsUnasked =
    ["Bash", "Edit", "Write", "MultiEdit"].some((tool) => allowedTools.has(tool) && !askedTools.has(tool)) || defaultMode === "acceptEdits";
  const autonomy: Autonomy = defaultMode === "bypassPermissions" ? "AUTONOMOUS" : actsUnasked ? "EXECUTE" : "DRAFT";
  const repositoryPermissions: Permission[] = writes ? ["READ", "WRITE"] : ["READ"];

  const capabilities: string[] = [];
  if (defaultMode === "bypassPermissions") capabilities.push("skips every permission prompt (defaultMode: bypassPermissions)");
  if (allowedTools.has("Bash"))
    capabilities.push(clip(`runs shell commands without asking: ${allow.filter((rule) => ruleTool(rule) === "Bash").join(", ")}`, 300));
  if (allow.some((rule) => ruleTool(rule).startsWith("mcp__"))) capabilities.push("calls MCP tools without asking");
  if (allowedTools.has("WebFetch")) capabilities.push("fetches web pages without asking");
  for (const { event, handlers } of hooks) {
    const commands = handlers.flatMap((handler) => handler.commands);
    if (commands.length > 0) capabilities.push(clip(`runs hook commands on ${event}: ${commands.join("; ")}`, 300));
  }
  const envNames = Object.keys(asRecord(settings.env) ?? {});
  const local = file.path.endsWith("settings.local.json");

  return {
    // No prompts at all is the one setting to look at first; an agent that may change the repository comes next.
    severity: autonomy === "AUTONOMOUS" ? "HIGH" : writes ? "MEDIUM" : "LOW",
    tool: TOOLS.claudeCode.tool,
    subject: local ? "Claude Code local settings" : "Claude Code settings",
    title: `Claude Code ${local ? "local " : ""}settings: ${describeAutonomy(autonomy)}${hooks.length > 0 ? `, hooks on ${hooks.map((hook) => hook.event).join(", ")}` : ""}`,
    line: document.lineOf(["permissions"]),
    proposal: toolProposal(TOOLS.claudeCode, {
      kind: "CODING_AGENT",
      name: proposalName("Claude Code", repository),
      autonomy,
      permissions: repositoryPermissions,
      capabilities: capabilities.slice(0, 20),
    }),
    details: {
      permissions: { allow, deny, ask, ...(defaultMode ? { defaultMode } : {}) },
      hooks,
      envVars: envNames,
      ...(typeof settings.apiKeyHelper === "string" ? { apiKeyHelper: true } : {}),
      ...(settings.enableAllProjectMcpServers === true ? { enableAllProjectMcpServers: true } : {}),
    },
  };
}

function describeAutonomy(autonomy: Autonomy): string {
  if (autonomy === "AUTONOMOUS") return "acts without any permission prompt";
  if (autonomy === "EXECUTE") return "edits or runs commands without asking";
  return "asks before editing or running commands";
}

function readAiderConfig(document: StructuredDocument, _file: FootprintFile, { repository }: DetectorContext): Footprint {
  const config = asRecord(document.value) ?? {};
  const yesAlways = config["yes-always"] === true;
  // Aider writes its edits to the files and, unless told not to, commits them.
  const autoCommits = config["auto-commits"] !== false;
  const capabilities = ["edits files in the repository"];
  if (autoCommits) capabilities.push("commits its changes to git (auto-commits)");
  if (yesAlways) capabilities.push("answers yes to every confirmation (yes-always)");
  for (const key of ["test-cmd", "lint-cmd"]) {
    if (typeof config[key] === "string") capabilities.push(clip(`runs ${key}: ${String(config[key])}`, 300));
  }
  const keyOptions = Object.keys(config).filter((key) => /api-key|api-base/.test(key));
  return {
    severity: yesAlways ? "HIGH" : "MEDIUM",
    tool: TOOLS.aider.tool,
    subject: "Aider config",
    title: `Aider config: edits files${autoCommits ? " and commits them" : ""}${yesAlways ? ", confirming everything itself" : ""}`,
    line: 1,
    proposal: toolProposal(TOOLS.aider, {
      kind: "CODING_AGENT",
      name: proposalName("Aider", repository),
      autonomy: yesAlways ? "EXECUTE" : "DRAFT",
      permissions: ["READ", "WRITE"],
      capabilities,
    }),
    details: {
      ...(typeof config.model === "string" ? { model: config.model } : {}),
      yesAlways,
      autoCommits,
      ...(config["auto-test"] === true ? { autoTest: true } : {}),
      read: asStrings(config.read),
      // Only which key options are set: their values are what the secret detector looks at.
      keyOptions,
    },
  };
}

function readContinueConfig(document: StructuredDocument, _file: FootprintFile, { repository }: DetectorContext): Footprint {
  const config = asRecord(document.value) ?? {};
  const models = (Array.isArray(config.models) ? config.models : []).flatMap((model) => {
    const record = asRecord(model);
    if (!record) return [];
    return [
      {
        provider: typeof record.provider === "string" ? record.provider : undefined,
        model: typeof record.model === "string" ? record.model : undefined,
        roles: asStrings(record.roles),
      },
    ];
  });
  const mcpServers = Array.isArray(config.mcpServers) ? config.mcpServers.length : Object.keys(asRecord(config.mcpServers) ?? {}).length;
  return {
    severity: "LOW",
    tool: TOOLS.continue.tool,
    subject: "Continue config",
    title: `Continue config: ${models.length} model${models.length === 1 ? "" : "s"}${mcpServers > 0 ? `, ${mcpServers} MCP server${mcpServers === 1 ? "" : "s"}` : ""}`,
    line: document.lineOf(["models"]),
    // Continue proposes edits for a person to apply; its agent mode asks before tools run by default.
    proposal: toolProposal(TOOLS.continue, {
      kind: "IDE_ASSISTANT",
      name: proposalName("Continue", repository),
      autonomy: "DRAFT",
      permissions: ["READ"],
      capabilities:
        models.length > 0
          ? [clip(`uses models: ${models.map((model) => [model.provider, model.model].filter(Boolean).join("/")).join(", ")}`, 300)]
          : [],
    }),
    details: { models, mcpServers, rules: Array.isArray(config.rules) ? config.rules.length : 0 },
  };
}

function readCodexConfig(document: StructuredDocument, _file: FootprintFile, { repository }: DetectorContext): Footprint {
  const config = asRecord(document.value) ?? {};
  const approval = typeof config.approval_policy === "string" ? config.approval_policy : undefined;
  const sandbox = typeof config.sandbox_mode === "string" ? config.sandbox_mode : undefined;
  const networkAccess = asRecord(config.sandbox_workspace_write)?.network_access === true;
  const neverAsks = approval === "never";
  const fullAccess = sandbox === "danger-full-access";
  const readOnly = sandbox === "read-only";
  // Unset, Codex in a trusted project writes inside the workspace and asks before leaving it.
  const autonomy: Autonomy = fullAccess && neverAsks ? "AUTONOMOUS" : readOnly && !neverAsks ? "DRAFT" : "EXECUTE";
  const capabilities: string[] = [];
  if (neverAsks) capabilities.push("never asks for approval (approval_policy = never)");
  if (fullAccess)
    capabilities.push("runs commands without a sandbox: the whole machine and the network (sandbox_mode = danger-full-access)");
  else if (!readOnly) capabilities.push("edits files and runs commands inside the workspace without asking");
  if (networkAccess && !fullAccess) capabilities.push("reaches the network from its sandbox (network_access = true)");
  if (typeof config.model === "string") capabilities.push(clip(`uses the model ${config.model}`, 300));
  const mcpServers = Object.keys(asRecord(config.mcp_servers) ?? {}).length;
  const settingLine = approval !== undefined ? ["approval_policy"] : sandbox !== undefined ? ["sandbox_mode"] : [];
  return {
    // Nothing asking a person, or nothing fencing the commands in, is what to look at first.
    severity: neverAsks || fullAccess ? "HIGH" : readOnly ? "LOW" : "MEDIUM",
    tool: TOOLS.codex.tool,
    subject: "Codex config",
    title: `Codex config: ${describeAutonomy(autonomy)}${mcpServers > 0 ? `, ${mcpServers} MCP server${mcpServers === 1 ? "" : "s"}` : ""}`,
    line: settingLine.length > 0 ? document.lineOf(settingLine) : 1,
    proposal: toolProposal(TOOLS.codex, {
      kind: "CODING_AGENT",
      name: proposalName("Codex", repository),
      autonomy,
      permissions: readOnly ? ["READ"] : ["READ", "WRITE"],
      capabilities,
    }),
    details: {
      ...(approval ? { approvalPolicy: approval } : {}),
      ...(sandbox ? { sandboxMode: sandbox } : {}),
      ...(networkAccess ? { networkAccess } : {}),
      ...(typeof config.model === "string" ? { model: config.model } : {}),
      mcpServers,
    },
  };
}

const SETTINGS_FILES: SettingsFile[] = [
  { pattern: /(^|\/)\.claude\/settings(\.local)?\.json$/, known: TOOLS.claudeCode, format: "json", read: readClaudeSettings },
  { pattern: /(^|\/)\.aider\.conf\.ya?ml$/, known: TOOLS.aider, format: "yaml", read: readAiderConfig },
  { pattern: /(^|\/)\.continue\/config\.yaml$/, known: TOOLS.continue, format: "yaml", read: readContinueConfig },
  { pattern: /(^|\/)\.continue\/config\.json$/, known: TOOLS.continue, format: "json", read: readContinueConfig },
  { pattern: /(^|\/)\.codex\/config\.toml$/, known: TOOLS.codex, format: "toml", read: readCodexConfig },
];

function settingsFor(path: string): SettingsFile | undefined {
  return SETTINGS_FILES.find(({ pattern }) => pattern.test(path));
}

export const agentSettingsDetector: Detector = {
  id: "agent-settings",
  claims: (path) => settingsFor(path) !== undefined,
  detect(file, context) {
    const settings = settingsFor(file.path)!;
    const parsed = parseStructured(file.text, settings.format);
    if (!parsed.ok) return [unparsableFootprint(settings.known.tool, file.path, settings.format, parsed)];
    return [settings.read(parsed.document, file, context)];
  },
};
