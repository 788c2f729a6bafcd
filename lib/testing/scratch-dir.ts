import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

// Temporary directories for a test file, removed after its tests: some hold a
// whole PostgreSQL cluster (about 40 MB), which would pile up in /tmp.

const created: string[] = [];

afterAll(() => Promise.all(created.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A fresh directory under the system's temp dir, e.g. scratchDir("warrant-secrets-"). */
export async function scratchDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}
