import { asRecord, asStrings, parseStructured, unparsableFootprint, type StructuredFormat } from "../structured";
import { clip, proposalName, TOOLS, type KnownTool } from "../tools";
import type { Detector, Footprint, FootprintFile } from "../types";

// MCP server configs: each server a client would start or connect to is a
// finding. Only the names of the environment variables and headers it is
// given are reported, never their values. No repository permission is
// inferred: a server reaches what its command or URL reaches, said in words.

interface McpConfigFile {
  pattern: RegExp;
  client: KnownTool;
  format: StructuredFormat;
  /** Where the servers are: an object keyed by name (most clients) or a list of { name, … } (Continue's YAML). */
  key: "mcpServers" | "servers" | "mcp_servers";
  /** A file that is one server on its own (Continue's .continue/mcpServers/<name>.json). */
  singleServer?: boolean;
}

/**
 * Checked against each client's documentation: VS Code keys its servers under
 * `servers`, Codex (TOML, [mcp_servers.<name>] tables, read only in a project
 * its user trusts) under `mcp_servers`, the others under `mcpServers`.
 */
const MCP_CONFIG_FILES: McpConfigFile[] = [
  { pattern: /(^|\/)\.mcp\.json$/, client: TOOLS.claudeCode, format: "json", key: "mcpServers" },
  { pattern: /(^|\/)\.cursor\/mcp\.json$/, client: TOOLS.cursor, format: "json", key: "mcpServers" },
  { pattern: /(^|\/)\.vscode\/mcp\.json$/, client: TOOLS.vscode, format: "json", key: "servers" },
  { pattern: /(^|\/)claude_desktop_config\.json$/, client: TOOLS.claudeDesktop, format: "json", key: "mcpServers" },
  { pattern: /(^|\/)\.gemini\/settings\.json$/, client: TOOLS.gemini, format: "json", key: "mcpServers" },
  { pattern: /(^|\/)\.continue\/config\.yaml$/, client: TOOLS.continue, format: "yaml", key: "mcpServers" },
  { pattern: /(^|\/)\.continue\/config\.json$/, client: TOOLS.continue, format: "json", key: "mcpServers" },
  { pattern: /(^|\/)\.continue\/mcpServers\/[^/]+\.ya?ml$/, client: TOOLS.continue, format: "yaml", key: "mcpServers" },
  { pattern: /(^|\/)\.continue\/mcpServers\/[^/]+\.json$/, client: TOOLS.continue, format: "json", key: "mcpServers", singleServer: true },
  { pattern: /(^|\/)\.codex\/config\.toml$/, client: TOOLS.codex, format: "toml", key: "mcp_servers" },
];

function configFor(path: string): McpConfigFile | undefined {
  return MCP_CONFIG_FILES.find(({ pattern }) => pattern.test(path));
}

/** The servers in the file as [name, config, path to the server's key]. */
function serversIn(value: unknown, config: McpConfigFile, file: FootprintFile): [string, Record<string, unknown>, (string | number)[]][] {
  const root = asRecord(value);
  if (!root) return [];
  const servers = root[config.key];
  if (Array.isArray(servers)) {
    return servers.flatMap((server, index) => {
      const record = asRecord(server);
      return record ? [[typeof record.name === "string" ? record.name : `#${index + 1}`, record, [config.key, index]]] : [];
    });
  }
  const byName = asRecord(servers);
  if (byName) {
    return Object.entries(byName).flatMap(([name, server]) => {
      const record = asRecord(server);
      return record ? [[name, record, [config.key, name]]] : [];
    });
  }
  if (config.singleServer && (typeof root.command === "string" || typeof root.url === "string")) {
    return [
      [
        file.path
          .split("/")
          .pop()!
          .replace(/\.json$/, ""),
        root,
        [],
      ],
    ];
  }
  return [];
}

/** A URL as origin and path: a query string may carry a key, and the finding only needs where it connects. */
function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return url.split("?")[0]!;
  }
}

function serverFootprint(
  name: string,
  server: Record<string, unknown>,
  line: number,
  subject: string,
  config: McpConfigFile,
  repository: string,
): Footprint {
  const command = typeof server.command === "string" ? server.command : undefined;
  const args = asStrings(server.args);
  const url =
    typeof server.url === "string"
      ? server.url
      : typeof server.serverUrl === "string"
        ? server.serverUrl
        : typeof server.httpUrl === "string"
          ? server.httpUrl
          : undefined;
  // Codex names the variable holding a bearer token, and takes headers as values or from variables.
  const envNames = [
    ...Object.keys(asRecord(server.env) ?? {}),
    ...(typeof server.bearer_token_env_var === "string" ? [server.bearer_token_env_var] : []),
  ];
  const headerNames = [server.headers, server.http_headers, server.env_http_headers].flatMap((headers) =>
    Object.keys(asRecord(headers) ?? {}),
  );
  // A Codex server switched off (enabled = false) stays in the file: reported, as the least urgent.
  const switchedOff = server.enabled === false;
  const capabilities: string[] = [];
  if (switchedOff) capabilities.push("is switched off in this file (enabled = false)");
  if (command) capabilities.push(clip(`runs a local command: ${[command, ...args].join(" ")}`, 300));
  if (url) capabilities.push(clip(`connects to ${safeUrl(url)}`, 300));
  if (envNames.length > 0) capabilities.push(clip(`is given environment variables: ${envNames.join(", ")}`, 300));
  if (headerNames.length > 0) capabilities.push(clip(`sends headers: ${headerNames.join(", ")}`, 300));
  // A package run by npx/uvx/docker is the server's product: the first argument that is not an option.
  const product =
    command && /^(npx|uvx|bunx|pnpm|docker|pipx)$/.test(command)
      ? args.find((arg) => !arg.startsWith("-") && arg !== "run" && arg !== "dlx")
      : undefined;
  return {
    // A server handed credentials (env, headers) or reaching a remote service is worth a look before a local helper.
    severity: !switchedOff && (envNames.length > 0 || headerNames.length > 0 || url) ? "MEDIUM" : "LOW",
    tool: clip(`MCP server ${name}`, 120),
    subject,
    title: clip(`${config.client.tool} is configured to use the MCP server "${name}"`, 300),
    line,
    proposal: {
      kind: "MCP_SERVER",
      name: proposalName(`${name} MCP server`, repository),
      vendor: undefined,
      product: product ? clip(product, 120) : undefined,
      // Its tools act when the agent calls them; whether a person confirms each call is the client's setting.
      autonomy: "EXECUTE",
      permissions: [],
      capabilities,
    },
    details: {
      client: config.client.tool,
      server: name,
      transport: typeof server.type === "string" ? server.type : url ? "http" : "stdio",
      ...(command ? { command, args } : {}),
      ...(url ? { url: safeUrl(url) } : {}),
      envVars: envNames,
      headers: headerNames,
      ...(switchedOff ? { enabled: false } : {}),
    },
  };
}

export const mcpConfigDetector: Detector = {
  id: "mcp-config",
  claims: (path) => configFor(path) !== undefined,
  detect(file, { repository }) {
    const config = configFor(file.path)!;
    const parsed = parseStructured(file.text, config.format);
    if (!parsed.ok) return [unparsableFootprint(`${config.client.tool} MCP config`, file.path, config.format, parsed)];
    return serversIn(parsed.document.value, config, file).map(([name, server, keyPath]) =>
      serverFootprint(
        name,
        server,
        parsed.document.lineOf(keyPath),
        keyPath.length > 0 ? `${config.key}.${name}` : name,
        config,
        repository,
      ),
    );
  },
};
