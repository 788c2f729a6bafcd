import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { apiAs } from "@/lib/testing/api-client";
import { createTestToken, createTestUser } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";

// The Discovered API as the scanner's CI job and a script use it: submit a
// report with an API token (201 with the counts), read the queue, register a
// finding; and the 422 shape a bad report gets.

let lead: ReturnType<typeof apiAs>;
let leadId: string;

const REPORT = {
  scanner: { name: "warrant-scan", version: "0.1.0" },
  repository: "acme/scanned-by-api",
  environment: "dev",
  startedAt: "2026-11-30T12:00:00Z",
  durationMs: 12,
  filesSeen: 40,
  filesRead: 4,
  findings: [
    {
      detector: "mcp-config",
      severity: "MEDIUM",
      tool: "MCP server github",
      subject: "mcpServers.github",
      title: "MCP server github",
      file: ".mcp.json",
      line: 3,
      snippet: '"github": { "command": "npx" }',
      proposal: {
        kind: "MCP_SERVER",
        name: "github-mcp",
        autonomy: "SUGGEST",
        permissions: ["READ"],
        capabilities: [],
      },
      details: { command: "npx" },
    },
  ],
};

beforeAll(async () => {
  const user = await createTestUser(["SECURITY_LEAD"]);
  leadId = user.user.id;
  lead = apiAs(await createTestToken(user.user.email));
});

describe("/api/v1/discovery", () => {
  it("takes a scan report with an API token (201), lists its findings and registers one", async () => {
    const submitted = await lead.post("discovery/scans", REPORT);
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({
      counts: { total: 1, new: 1, seenAgain: 0, gone: 0, flagged: 0 },
      repository: { name: "acme/scanned-by-api", environment: "DEV" },
      link: "/discovered?repository=acme%2Fscanned-by-api&environment=DEV",
    });

    const listed = await lead.get("discovery/findings", undefined, "repository=acme/scanned-by-api");
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ total: 1, page: 1 });
    const [finding] = listed.body.data;
    expect(finding).toMatchObject({ status: "OPEN", tool: "MCP server github", file: ".mcp.json", line: 3, gone: false });
    expect(finding.proposal).toMatchObject({ kind: "MCP_SERVER", permissions: ["READ"] });

    const detail = await lead.get("discovery/findings/[id]", { id: finding.id });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ snippet: '"github": { "command": "npx" }', pendingRequest: null });

    const registered = await lead.post(
      "discovery/findings/[id]/register",
      {
        name: "github-mcp-scanned",
        purpose: "Found by a scan",
        kind: "MCP_SERVER",
        autonomy: "SUGGEST",
        ownerId: leadId,
        expiresAt: new Date(Date.now() + 60 * DAY_MS).toISOString(),
        permissions: ["READ"],
      },
      { id: finding.id },
    );
    expect(registered.status).toBe(201);
    expect(registered.body.identity).toMatchObject({ name: "github-mcp-scanned", status: "PROPOSED" });
    const after = await lead.get("discovery/findings", undefined, "view=registered&repository=acme/scanned-by-api");
    expect(after.body.data.map((row: { id: string }) => row.id)).toEqual([finding.id]);

    // The same report again adds nothing.
    const again = await lead.post("discovery/scans", REPORT);
    expect(again.status).toBe(201);
    expect(again.body.counts).toMatchObject({ new: 0, seenAgain: 1 });
  });

  it("takes a report larger than the API's usual 1 MiB, and refuses one over 8 MiB with 413", async () => {
    // A large repository: 700 footprints with long snippets, about 1.5 MB of JSON in one report.
    const findings = Array.from({ length: 700 }, (_, index) => ({
      ...REPORT.findings[0],
      subject: `mcpServers.tool-${index}`,
      tool: `MCP server tool-${index}`,
      file: `services/service-${index}/.mcp.json`,
      snippet: `"tool-${index}": ${"x".repeat(1800)}`,
    }));
    const large = { ...REPORT, repository: "acme/large-monorepo", findings };
    expect(JSON.stringify(large).length).toBeGreaterThan(1024 * 1024);
    const submitted = await lead.post("discovery/scans", large);
    expect(submitted.status).toBe(201);
    expect(submitted.body.counts).toMatchObject({ total: 700, new: 700 });
    const repository = { name: "acme/large-monorepo", environment: "DEV" as const };
    expect(await prisma.discoveryFinding.count({ where: { repository } })).toBe(700);

    const tooLarge = await lead.post("discovery/scans", {
      ...large,
      findings: [{ ...findings[0], snippet: "y".repeat(8 * 1024 * 1024) }],
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error).toMatchObject({ code: "payload_too_large" });
    expect(tooLarge.body.error.message).toMatch(/at most 8 MiB/);
    // Nothing changed: the 700 footprints are all still there, none marked gone.
    expect(await prisma.discoveryFinding.count({ where: { repository, goneAt: null } })).toBe(700);
  });

  it("answers a bad report with 422 naming each field, and stores nothing", async () => {
    const before = await prisma.discoveryFinding.count();
    const bad = await lead.post("discovery/scans", {
      ...REPORT,
      repository: "/etc/passwd",
      findings: [{ ...REPORT.findings[0], file: "../outside", line: 0 }],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe("validation_failed");
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["findings.0.file", "findings.0.line", "repository"]);
    expect(await prisma.discoveryFinding.count()).toBe(before);
  });

  it("refuses unknown queue parameters by name", async () => {
    const response = await lead.get("discovery/findings", undefined, "colour=red");
    expect(response.status).toBe(422);
    expect(Object.keys(response.body.error.fields)).toEqual(["colour"]);
  });
});
