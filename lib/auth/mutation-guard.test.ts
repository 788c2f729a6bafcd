import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { allMutations } from "@/lib/mutations";
import { AppError } from "@/lib/errors";
import { countRows, createTestUser } from "@/lib/testing/factories";
import { executeMutation } from "./mutation";
import type { Actor } from "./actor";

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".test.ts"))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !file.includes(`${path.sep}generated${path.sep}`));
}

async function refusal(mutationIndex: number, actor: Actor | null): Promise<AppError> {
  try {
    await executeMutation(allMutations[mutationIndex]!, actor, {});
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("the mutation was not refused");
}

describe("every mutation", () => {
  let auditor: Actor;
  let tokenOfAuditor: Actor;

  beforeAll(async () => {
    auditor = (await createTestUser(["AUDITOR"])).actor;
    const { user } = await createTestUser(["AUDITOR"]);
    // Even a token that claims write scope cannot exceed an auditor's roles.
    tokenOfAuditor = {
      kind: "api_token",
      tokenId: "t",
      userId: user.id,
      label: "auditor token",
      roles: ["AUDITOR"],
      scopes: ["READ", "WRITE", "AGENT"],
    };
  });

  it("is listed in lib/mutations.ts, so the walks below cover it", async () => {
    // Every exported mutation of every lib module must be in the registry.
    const skipped = new Set([path.join("lib", "cli", "main.ts")]); // runs the CLI when imported
    const exported = new Set<unknown>();
    for (const file of await sourceFiles("lib")) {
      if (skipped.has(file) || file.startsWith(path.join("lib", "testing"))) continue;
      let exports: Record<string, unknown>;
      try {
        exports = (await import(path.resolve(file))) as Record<string, unknown>;
      } catch {
        // Modules that only load inside Next (Auth.js, next/headers) must not define mutations.
        expect(await readFile(file, "utf8"), file).not.toMatch(/defineMutation\(/);
        continue;
      }
      for (const value of Object.values(exports)) {
        if (value && typeof value === "object" && "run" in value && "permission" in value && "input" in value) exported.add(value);
      }
    }
    expect(exported.size).toBeGreaterThan(0);
    for (const mutation of exported) expect(allMutations, (mutation as { name: string }).name).toContain(mutation);
    expect(new Set(allMutations.map((mutation) => mutation.name)).size).toBe(allMutations.length);
  });

  it.each(allMutations.map((mutation, index) => [mutation.name, index] as const))(
    "%s refuses anonymous callers and auditors, and writes nothing",
    async (_name, index) => {
      const before = await countRows();
      expect((await refusal(index, null)).status).toBe(401);
      // The few exports auditors may ask for (auditorsMay) get as far as validating the (empty) input.
      const auditorStatus = allMutations[index]!.auditorsMay ? 422 : 403;
      expect((await refusal(index, auditor)).status).toBe(auditorStatus);
      expect((await refusal(index, tokenOfAuditor)).status).toBe(auditorStatus);
      expect(await countRows()).toEqual(before);
    },
  );
});

describe("server actions", () => {
  // Authentication itself (sign-in, sign-out) is Auth.js's job and is audited by its events.
  const AUTHENTICATION_ACTIONS = new Set(["signOutAction", "signInWithSsoAction", "signInAsDemoUserAction"]);

  it("are all built from a lib mutation with mutationAction, except sign-in and sign-out", async () => {
    const files = (await sourceFiles("app")).filter((file) => path.basename(file) === "actions.ts");
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const source = await readFile(file, "utf8");
      expect(source.startsWith('"use server";')).toBe(true);
      for (const match of source.matchAll(/^export (?:async function (\w+)|const (\w+) = (\w+)\()/gm)) {
        const [, functionName, constName, factory] = match;
        if (functionName) expect(AUTHENTICATION_ACTIONS, `${file}: ${functionName}`).toContain(functionName);
        else expect(factory, `${file}: ${constName}`).toBe("mutationAction");
      }
      expect(source).not.toMatch(/^export (?!async function|const)/m);
    }
  });
});
