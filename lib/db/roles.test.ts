import { spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { recordAuditEvent } from "@/lib/audit/record";
import { createBoss } from "@/lib/jobs/worker";
import { createPrismaClient } from "./client";
import { parseEnv } from "@/lib/env";
import { prepareDatabase } from "./prepare";
import { checkAppRole, grantAppRole } from "./roles";

// Issue 7, item 8: the app runs as a role that can only read and append to the
// audit log. This file connects as such a role (made here, as the migration
// runner makes it for the embedded install) and tries what an attacker who
// took over the app would try. Roles are cluster-wide and test files run in
// parallel on one server, so the role's name is unique to this run.

const ownerUrl = process.env.DATABASE_URL!;
const actor = { type: "SYSTEM" as const, id: null, label: "test" };

async function asRole<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function withAppRole(work: (appUrl: string) => Promise<void>) {
  const name = `warrant_app_test_${randomBytes(5).toString("hex")}`;
  const password = randomBytes(18).toString("hex");
  await asRole(ownerUrl, (client) => client.query(`CREATE ROLE ${name} LOGIN PASSWORD '${password}'`));
  const url = new URL(ownerUrl);
  url.username = name;
  url.password = password;
  try {
    await work(url.toString());
  } finally {
    await asRole(ownerUrl, async (client) => {
      await client.query(`REASSIGN OWNED BY ${name} TO current_user`);
      await client.query(`DROP OWNED BY ${name}`);
      await client.query(`DROP ROLE ${name}`);
    });
  }
}

describe("the app's database role", () => {
  it("appends to the audit log but is refused UPDATE, DELETE, TRUNCATE and DISABLE TRIGGER on it", async () => {
    await withAppRole(async (appUrl) => {
      expect((await grantAppRole(ownerUrl, appUrl)).problems).toEqual([]);

      // What the app does all day works: product writes, and audit events in the same transaction.
      const app = createPrismaClient(appUrl);
      try {
        const event = await app.$transaction(async (tx) => {
          await tx.team.create({ data: { name: `team-${randomBytes(3).toString("hex")}` } });
          return recordAuditEvent(tx, actor, { action: "test.as_app" });
        });
        expect(event.action).toBe("test.as_app");
      } finally {
        await app.$disconnect();
      }

      await asRole(appUrl, async (client) => {
        for (const table of ["AuditEvent", "AuditCheckpoint", "ActivityEvent"]) {
          await expect(client.query(`UPDATE "${table}" SET "hash" = 'forged'`), table).rejects.toThrow(/permission denied/);
          await expect(client.query(`DELETE FROM "${table}"`), table).rejects.toThrow(/permission denied/);
          await expect(client.query(`TRUNCATE "${table}"`), table).rejects.toThrow(/permission denied/);
          await expect(client.query(`ALTER TABLE "${table}" DISABLE TRIGGER USER`), table).rejects.toThrow(/must be owner/);
          await expect(client.query(`DROP TABLE "${table}"`), table).rejects.toThrow(/must be owner/);
        }
        await expect(client.query(`SET session_replication_role = replica`)).rejects.toThrow(/permission denied/);
        await expect(client.query(`DELETE FROM "_prisma_migrations"`)).rejects.toThrow(/permission denied/);
      });
    });
  });

  it("is reported as unprotected when the app connects as the tables' owner or a superuser", async () => {
    const { problems } = await checkAppRole(ownerUrl);
    expect(problems.join(" ")).toMatch(/is a superuser|owns the audit table/);
  });

  it("runs pg-boss in its own schema, including one installed earlier by the owner", async () => {
    // An install from before this change: the owner created pg-boss's tables.
    const earlier = createBoss(ownerUrl, { supervise: false, schedule: false });
    await earlier.start();
    await earlier.stop({ graceful: false });
    await withAppRole(async (appUrl) => {
      await grantAppRole(ownerUrl, appUrl);
      const boss = createBoss(appUrl, { supervise: false, schedule: false });
      await boss.start();
      try {
        await boss.createQueue("roles-test", { policy: "standard" });
        await boss.send("roles-test", { n: 1 });
        const [job] = await boss.fetch<{ n: number }>("roles-test");
        expect(job?.data).toEqual({ n: 1 });
        await boss.schedule("roles-test", "*/10 * * * *", null, { tz: "UTC" });
      } finally {
        await boss.stop({ graceful: false });
      }
    });
  });

  it("runs the job worker `npm start` starts beside the app, which has only the app role's DATABASE_URL", async () => {
    await withAppRole(async (appUrl) => {
      await grantAppRole(ownerUrl, appUrl);
      const started = await new Promise<string>((resolve) => {
        let output = "";
        const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts", "--prepared"], {
          env: { ...process.env, DATABASE_URL: appUrl, MIGRATION_DATABASE_URL: "" },
        });
        const collect = (chunk: Buffer) => {
          output += chunk.toString();
          if (/\[worker\] Started:/.test(output)) child.kill("SIGTERM");
        };
        child.stdout.on("data", collect);
        child.stderr.on("data", collect);
        child.on("exit", () => resolve(output));
        setTimeout(() => {
          child.kill("SIGKILL");
          resolve(output);
        }, 40_000);
      });
      expect(started).toMatch(/\[worker\] Started: .*audit\.checkpoint/);
      expect(started).not.toMatch(/permission denied/);
    });
  }, 60_000);

  it("is wired by the start: DATABASE_URL becomes the app role, and a single-role setup starts with a warning", async () => {
    const lines: string[] = [];
    const single = await prepareDatabase(parseEnv({ DATABASE_URL: ownerUrl }), (line) => lines.push(line));
    expect(single.auditLogExposure.length).toBeGreaterThan(0);
    expect(lines.join("\n")).toMatch(/WARNING: the audit log is not protected from the app: .*MIGRATION_DATABASE_URL/);
    expect(lines.join("\n")).toMatch(/WARNING: WARRANT_AUDIT_SIGNING_KEY is not set, so no audit checkpoints are written/);

    await withAppRole(async (appUrl) => {
      lines.length = 0;
      const key = generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
      const config = parseEnv({ DATABASE_URL: appUrl, MIGRATION_DATABASE_URL: ownerUrl, WARRANT_AUDIT_SIGNING_KEY: key });
      const split = await prepareDatabase(config, (line) => lines.push(line));
      expect(split.auditLogExposure).toEqual([]);
      expect(lines).toEqual([]);
      expect(process.env.DATABASE_URL).toBe(appUrl);
      await asRole(appUrl, async (client) => {
        await expect(client.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`)).rejects.toThrow(/must be owner/);
      });
    });
    process.env.DATABASE_URL = ownerUrl;
  });
});
