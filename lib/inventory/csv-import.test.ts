import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { executeMutation } from "@/lib/auth/mutation";
import { AppError } from "@/lib/errors";
import { countRows, createTestUser, systemActor, switchOffApprovals } from "@/lib/testing/factories";
import type { Actor } from "@/lib/auth/actor";
import { importIdentities, type ImportResult } from "./csv-import";

const future = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
const HEADER = "externalId,name,kind,environment,ownerEmail,backupOwnerEmail,team,autonomy,vendor,model,purpose,expiresAt";

function csv(...rows: string[]) {
  return [HEADER, ...rows].join("\r\n") + "\r\n";
}

async function run(actor: Actor, text: string, dryRun = false) {
  return executeMutation(importIdentities, actor, { csv: text }, prisma, { dryRun }) as Promise<ImportResult>;
}

async function refusal(actor: Actor, text: string): Promise<AppError> {
  try {
    await run(actor, text);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("the import was not refused");
}

let lead: Actor;
let owner: Actor;

beforeAll(async () => {
  // What these changes do, not who approves them: lib/approvals/approvals.test.ts covers that.
  await switchOffApprovals();
  lead = (await createTestUser(["SECURITY_LEAD"], { email: "lead@example.com" })).actor;
  owner = (await createTestUser([], { email: "owner@example.com" })).actor;
  await createTestUser([], { email: "backup@example.com" });
  await prisma.team.create({ data: { name: "Payments" } });
});

describe("CSV import", () => {
  const good = csv(
    `ext-1,import-agent,CODING_AGENT,PROD,owner@example.com,backup@example.com,Payments,EXECUTE,Anthropic,claude,"Ships releases, carefully",${future}`,
    `,import-bot,ci_bot,dev,OWNER@example.com,,,,,,"Runs ""lint""",${future}`,
  );

  it("previews without writing anything", async () => {
    const before = await countRows();
    const preview = await run(lead, good, true);
    expect(preview).toMatchObject({ created: 2, updated: 0, unchanged: 0, failed: 0 });
    expect(preview.rows.map((row) => [row.line, row.name, row.action])).toEqual([
      [2, "import-agent", "create"],
      [3, "import-bot", "create"],
    ]);
    expect(await countRows()).toEqual(before);
  });

  it("creates every row, audited, and computes risk", async () => {
    const result = await run(lead, good);
    expect(result).toMatchObject({ created: 2, failed: 0 });
    const agent = await prisma.aiIdentity.findUniqueOrThrow({
      where: { externalId: "ext-1" },
      include: { owner: true, backupOwner: true, team: true },
    });
    expect(agent).toMatchObject({ name: "import-agent", environment: "PROD", autonomy: "EXECUTE", purpose: "Ships releases, carefully" });
    expect([agent.owner.email, agent.backupOwner?.email, agent.team?.name]).toEqual([
      "owner@example.com",
      "backup@example.com",
      "Payments",
    ]);
    const bot = await prisma.aiIdentity.findFirstOrThrow({ where: { name: "import-bot" } });
    expect(bot).toMatchObject({ kind: "CI_BOT", environment: "DEV", purpose: 'Runs "lint"' });
    expect(await prisma.auditEvent.count({ where: { action: "identity.created", targetId: { in: [agent.id, bot.id] } } })).toBe(2);
    expect(await prisma.auditEvent.count({ where: { action: "identities.imported" } })).toBe(1);
  });

  it("creates no duplicates when the same file is imported again", async () => {
    const before = await prisma.aiIdentity.count();
    const again = await run(lead, good);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2, failed: 0 });
    expect(await prisma.aiIdentity.count()).toBe(before);
  });

  it("updates only what changed, matching on externalId or name + environment", async () => {
    const changed = csv(
      `ext-1,import-agent,CODING_AGENT,PROD,owner@example.com,backup@example.com,Payments,DRAFT,Anthropic,claude,"Ships releases, carefully",${future}`,
      `,import-bot,CI_BOT,DEV,owner@example.com,,,,,,Runs lint and tests,${future}`,
    );
    const result = await run(lead, changed);
    expect(result).toMatchObject({ created: 0, updated: 2 });
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { externalId: "ext-1" } })).autonomy).toBe("DRAFT");
    expect((await prisma.aiIdentity.findFirstOrThrow({ where: { name: "import-bot" } })).purpose).toBe("Runs lint and tests");
  });

  it("refuses the whole file when one row is bad, naming its line and column, and writes nothing", async () => {
    const before = await countRows();
    const text = csv(
      `,fresh-one,PLUGIN,DEV,owner@example.com,,,,,,A fine row,${future}`,
      `,broken-one,ROBOT,DEV,nobody@example.com,,,,,,,2020-01-01`,
      `,fresh-two,PLUGIN,DEV,owner@example.com,,,,,,Another fine row,${future}`,
      `,too-late,PLUGIN,DEV,owner@example.com,,,,,,Expired already,2020-01-01`,
    );
    const error = await refusal(lead, text);
    expect(error.status).toBe(422);
    expect(error.message).toBe("Nothing was imported: 2 of 4 rows have errors.");
    expect(error.fields).toEqual({
      "line 3.kind": expect.stringMatching(/^must be one of/),
      "line 3.ownerEmail": "no Warrant user has the email nobody@example.com",
      "line 3.purpose": "is required",
      "line 3.expiresAt": "must be in the future",
      "line 5.expiresAt": "must be in the future",
    });
    expect(await countRows()).toEqual(before);
    expect(await prisma.aiIdentity.findFirst({ where: { name: "fresh-one" } })).toBeNull();

    const preview = await run(lead, text, true);
    expect(preview.rows.map((row) => row.action)).toEqual(["create", "error", "create", "error"]);
  });

  it("reports a pasted secret on its own line and column without storing it", async () => {
    const secret = "ghp_" + "aB3dE5gH7jK9mN1pQ2rS4tU6vW8xY0zaB3dE5";
    const error = await refusal(lead, csv(`,leaky,PLUGIN,DEV,owner@example.com,,,,,,${secret},${future}`));
    expect(error.fields).toEqual({ "line 2.purpose": expect.stringMatching(/looks like a GitHub token/) });
    expect(error.message).not.toContain(secret);
    const events = await prisma.auditEvent.findMany();
    expect(JSON.stringify(events, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))).not.toContain(secret);
  });

  it("refuses repeated rows, missing columns and broken CSV", async () => {
    const repeated = await refusal(
      lead,
      csv(`,twice,PLUGIN,DEV,owner@example.com,,,,,,x,${future}`, `,twice,PLUGIN,DEV,owner@example.com,,,,,,x,${future}`),
    );
    expect(repeated.fields).toEqual({ "line 3.name": "repeats line 2" });
    expect((await refusal(lead, "name,kind\nx,PLUGIN\n")).fields).toEqual({
      csv: "is missing the columns environment, ownerEmail, purpose, expiresAt",
    });
    expect((await refusal(lead, `${HEADER}\n"unclosed`)).fields?.csv).toMatch(/^CSV line 2: a quoted field is not closed/);
  });

  it("lets a member import only identities they own", async () => {
    const error = await refusal(owner, csv(`,not-mine,PLUGIN,DEV,backup@example.com,,,,,,x,${future}`));
    expect(error.fields).toEqual({ "line 2.ownerEmail": "must be you (or make yourself the backup owner)" });
    const mine = await run(owner, csv(`,mine,PLUGIN,DEV,owner@example.com,,,,,,x,${future}`));
    expect(mine.created).toBe(1);
  });

  it("reads back an exported file", async () => {
    const exported =
      `id,externalId,name,kind,environment,status,riskTier,ownerEmail,ownerName,backupOwnerEmail,team,autonomy,vendor,product,model,purpose,expiresAt,nextReviewAt,orphanedAt,createdAt,updatedAt\r\n` +
      `x1,,round-trip,OTHER,STAGING,ACTIVE,LOW,owner@example.com,Owner,,,SUGGEST,,,,'=not a formula,${future}T00:00:00.000Z,,,,\r\n`;
    const result = await run(systemActor, exported);
    expect(result.created).toBe(1);
    expect((await prisma.aiIdentity.findFirstOrThrow({ where: { name: "round-trip" } })).purpose).toBe("=not a formula");
  });
});
