import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";

// `npm start` builds only when the sources changed since the last build. The
// fingerprint covers every file that goes into the build (names, sizes and
// modification times), which is cheap to compute and changes on any edit.

const INPUTS = ["app", "components", "lib", "public", "next.config.ts", "postcss.config.mjs", "package-lock.json", "tsconfig.json"];
const FINGERPRINT_FILE = ".next/warrant-build-fingerprint";

async function collect(entry: string, out: string[]): Promise<void> {
  if (!existsSync(entry)) return;
  const info = await stat(entry);
  if (info.isDirectory()) {
    for (const child of (await readdir(entry)).sort()) await collect(path.join(entry, child), out);
  } else {
    out.push(`${entry}:${info.size}:${info.mtimeMs}`);
  }
}

export async function computeBuildFingerprint(): Promise<string> {
  const lines: string[] = [];
  for (const input of INPUTS) await collect(input, lines);
  return createHash("sha256").update(lines.join("\n")).digest("hex");
}

export async function buildIsCurrent(): Promise<boolean> {
  if (!existsSync(".next/BUILD_ID") || !existsSync(FINGERPRINT_FILE)) return false;
  return (await readFile(FINGERPRINT_FILE, "utf8")) === (await computeBuildFingerprint());
}

export async function recordBuildFingerprint(): Promise<void> {
  await writeFile(FINGERPRINT_FILE, await computeBuildFingerprint());
}

/** Runs `next build`; on success records the fingerprint. Returns the exit code. */
export async function buildApp(): Promise<number> {
  const { spawnNextSync } = await import("./next-command");
  const result = spawnNextSync(["build"], { stdio: "inherit" });
  if (result.status === 0) await recordBuildFingerprint();
  return result.status ?? 1;
}
