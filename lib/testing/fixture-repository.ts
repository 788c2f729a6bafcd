import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { scratchDir } from "./scratch-dir";

/** A repository checkout made of the given files (path → text or bytes) in a fresh temp dir; returns its root. */
export async function fixtureRepository(files: Record<string, string | Buffer>): Promise<string> {
  const root = await scratchDir("warrant-scan-");
  await writeFixtureFiles(root, files);
  return root;
}

/** Writes (or overwrites) files under root, making their directories. */
export async function writeFixtureFiles(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [relativePath, content] of Object.entries(files)) {
    const file = path.join(root, relativePath);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}
