import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// app/ stays thin: pages, route handlers and actions call lib/ functions,
// which hold every database query, so the browser, the API and the CLI share
// one copy of each (and its authorization). Passing `prisma` on to lib/ is
// fine; calling a model or a raw query on it in app/ is not.

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

const DIRECT_QUERY =
  /\b(?:prisma|db|tx)\s*\.\s*(?:\$(?:queryRaw|executeRaw|queryRawUnsafe|executeRawUnsafe|transaction)\b|[a-z]\w*\s*\.\s*(?:find|create|update|upsert|delete|count|aggregate|groupBy)\w*\s*\()/;

describe("app/", () => {
  it("makes no Prisma query itself", () => {
    const files = sourceFiles("app");
    expect(files.length).toBeGreaterThan(50);
    expect(files.filter((file) => DIRECT_QUERY.test(readFileSync(file, "utf8")))).toEqual([]);
  });

  it("would notice one (the check itself works)", () => {
    expect(DIRECT_QUERY.test("await prisma.credential.findUnique({ where: { id } })")).toBe(true);
    expect(DIRECT_QUERY.test("await prisma.$queryRaw`SELECT 1`")).toBe(true);
    expect(DIRECT_QUERY.test("await findSystem(prisma, id)")).toBe(false);
  });
});
