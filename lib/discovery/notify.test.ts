import { describe, expect, it } from "vitest";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { createTestUser, systemActor } from "@/lib/testing/factories";
import type { ScanReport } from "@/lib/validation/discovery";
import { submitScan } from "./ingest";

// Security leads hear about new high-severity footprints from the scan that
// finds them (an email row in the outbox, written in the scan's transaction),
// and only once: a rescan that finds them again sends nothing.

function report(findings: ScanReport["findings"]): ScanReport {
  return {
    scanner: { name: "warrant-scan", version: "1" },
    repository: "acme/notify",
    environment: "PROD",
    startedAt: new Date().toISOString(),
    durationMs: 4,
    filesSeen: 12,
    filesRead: 3,
    findings,
  };
}

const leakedKey = {
  detector: "secret" as const,
  severity: "HIGH" as const,
  tool: "Leaked secret",
  subject: "AWS access key sha256:0123456789abcdef",
  title: "AWS access key in .mcp.json",
  file: ".mcp.json",
  line: 7,
  snippet: '"AWS_ACCESS_KEY_ID": "[redacted: AWS access key]"',
  proposal: null,
  details: { kind: "AWS access key", fingerprint: "sha256:0123456789abcdef" },
};

const instructions = {
  detector: "instruction-file" as const,
  severity: "LOW" as const,
  tool: "Claude Code",
  subject: "CLAUDE.md",
  title: "Instruction file CLAUDE.md",
  file: "CLAUDE.md",
  line: 1,
  snippet: "# Notes",
  proposal: null,
  details: {},
};

describe("a scan that finds high-severity footprints", () => {
  it("emails every security lead once, naming the leak but not the secret, and nothing for low-severity ones", async () => {
    const lead = await createTestUser(["SECURITY_LEAD"]);
    const member = await createTestUser();
    const messages = () => prisma.notificationMessage.findMany({ where: { event: "discovery.high_severity", channel: "EMAIL" } });

    await executeMutation(submitScan, systemActor, report([instructions]));
    expect(await messages()).toHaveLength(0);

    await executeMutation(submitScan, systemActor, report([instructions, leakedKey]));
    const sent = await messages();
    expect(sent.map((message) => message.recipient)).toEqual([lead.user.email]);
    expect(sent.map((message) => message.recipient)).not.toContain(member.user.email);
    expect(sent[0]!.subject).toBe("Scan of acme/notify (PROD) found 1 high-severity footprint, 1 leaked secret");
    expect(sent[0]!.body).toContain("- AWS access key in .mcp.json (.mcp.json:7)");
    expect(sent[0]!.link).toBe("/discovered?repository=acme%2Fnotify&environment=PROD");

    await executeMutation(submitScan, systemActor, report([instructions, leakedKey]));
    expect(await messages()).toHaveLength(1);
  });
});
