import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { applyMigrations, MIGRATIONS_DIR } from "./migrate";

const run = promisify(execFile);

/** Runs the stock Prisma CLI through scripts/prisma.mjs (offline schema engine); returns its exit code. */
async function prismaCli(args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run("node", ["scripts/prisma.mjs", ...args], { env: { ...process.env } });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe("schema.prisma and the migrations", () => {
  it("agree: replaying the migrations gives exactly the schema (no drift)", async () => {
    const result = await prismaCli([
      "migrate",
      "diff",
      "--from-migrations",
      "prisma/migrations",
      "--to-schema",
      "prisma/schema.prisma",
      "--exit-code",
    ]);
    expect(result.output).not.toMatch(/error/i);
    expect(result.code).toBe(0);
  });

  it("are reported as drifted when the schema gains a field without a migration", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "warrant-drift-"));
    const schema = (await readFile("prisma/schema.prisma", "utf8")).replace("model Team {\n", "model Team {\n  driftCheck String?\n");
    await writeFile(
      path.join(dir, "schema.prisma"),
      schema.replace('output       = "../lib/db/generated"', `output = "${path.join(dir, "generated")}"`),
    );
    const result = await prismaCli([
      "migrate",
      "diff",
      "--from-migrations",
      "prisma/migrations",
      "--to-schema",
      path.join(dir, "schema.prisma"),
      "--exit-code",
    ]);
    expect(result.code).toBe(2);
  });

  it("keep every trigram index's pending list small, so the write that overflows one merges little", async () => {
    // A schema change that recreates one of these indexes must set it again (20261207010000_trigram_pending_list_limit).
    const indexes = await prisma.$queryRaw<{ name: string; options: string[] | null }[]>`
      SELECT c."relname" AS "name", c."reloptions" AS "options"
      FROM pg_index i JOIN pg_class c ON c."oid" = i."indexrelid"
      WHERE pg_get_indexdef(i."indexrelid") LIKE '%gin_trgm_ops%' ORDER BY c."relname"`;
    expect(indexes.length).toBeGreaterThanOrEqual(7);
    for (const index of indexes) expect(index.options, index.name).toContain("gin_pending_list_limit=512");
  });
});

describe("applyMigrations", () => {
  async function copyOfMigrations() {
    const dir = await mkdtemp(path.join(tmpdir(), "warrant-migrations-"));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    return dir;
  }

  it("records what it applied in Prisma's own table, so `prisma migrate status` agrees", async () => {
    const rows = await prisma.$queryRaw<
      { migration_name: string }[]
    >`SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`;
    expect(rows.map((row) => row.migration_name)).toContain("20261125180000_init");
    const status = await prismaCli(["migrate", "status"]);
    expect(status.output).toContain("Database schema is up to date");
    expect(status.code).toBe(0);
  });

  it("refuses to start when an applied migration was edited afterwards", async () => {
    const dir = await copyOfMigrations();
    const file = path.join(dir, "20261125180000_init", "migration.sql");
    await writeFile(file, (await readFile(file, "utf8")) + "\n-- edited\n");
    await expect(applyMigrations(process.env.DATABASE_URL!, dir)).rejects.toThrow(/20261125180000_init was changed after it was applied/);
  });

  it("rolls a failing migration back whole and records nothing", async () => {
    const dir = await copyOfMigrations();
    await mkdir(path.join(dir, "29990101000000_broken"));
    await writeFile(
      path.join(dir, "29990101000000_broken", "migration.sql"),
      `CREATE TABLE "HalfDone" (id int);\nSELECT * FROM "NoSuchTable";\n`,
    );
    await expect(applyMigrations(process.env.DATABASE_URL!, dir)).rejects.toThrow(/29990101000000_broken failed and was rolled back/);
    const tables = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pg_tables WHERE tablename = 'HalfDone'`;
    expect(tables[0]!.n).toBe(0n);
    const recorded = await prisma.$queryRaw<
      { n: bigint }[]
    >`SELECT count(*) AS n FROM "_prisma_migrations" WHERE migration_name = '29990101000000_broken'`;
    expect(recorded[0]!.n).toBe(0n);
  });
});
