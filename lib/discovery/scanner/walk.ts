import { closeSync, fstatSync, openSync, readdirSync, readSync } from "node:fs";
import path from "node:path";

// The repository walk: every directory entry is looked at once, by name only;
// a file is opened only when a detector claims its path, so a large
// repository costs a directory listing, not a read of every file.

/**
 * Directories never entered. They hold other people's code (dependencies,
 * vendored copies), build output or tool caches: an AI tool's footprint in
 * them is not this repository's, and they are where most of a checkout's
 * files are. `vendor` is skipped too (Go and PHP vendoring); a repository
 * that keeps its own code under such a name loses only the instruction files
 * there, since every config the detectors read sits at a fixed place.
 */
export const SKIPPED_DIRECTORIES = new Set([
  ".git",
  ".hg",
  ".svn",
  "node_modules",
  "bower_components",
  "jspm_packages",
  "vendor",
  ".venv",
  "venv",
  "__pycache__",
  ".tox",
  ".mypy_cache",
  ".pytest_cache",
  ".gradle",
  ".terraform",
  ".next",
  ".nuxt",
  ".svelte-kit",
  ".turbo",
  ".cache",
  ".parcel-cache",
  "dist",
  "build",
  "out",
  "target",
  "coverage",
]);

/** Footprint files are small; anything larger is not a config someone wrote by hand. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** A NUL among the first bytes means a binary file, as git decides it. */
const BINARY_PROBE_BYTES = 8000;

export interface WalkStats {
  filesSeen: number;
  directoriesSkipped: number;
  symlinksSkipped: number;
}

/** Calls `visit` with every regular file's path (relative, forward slashes) outside skipped directories; symlinks are not followed. */
export function walkRepository(root: string, visit: (relativePath: string) => void): WalkStats {
  const stats: WalkStats = { filesSeen: 0, directoriesSkipped: 0, symlinksSkipped: 0 };
  const pending = [""];
  while (pending.length > 0) {
    const relativeDir = pending.pop()!;
    let entries;
    try {
      entries = readdirSync(path.join(root, relativeDir), { withFileTypes: true });
    } catch {
      continue; // unreadable directory (permissions): nothing in it can be read either
    }
    for (const entry of entries) {
      const relativePath = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) stats.symlinksSkipped += 1;
      else if (entry.isDirectory()) {
        if (SKIPPED_DIRECTORIES.has(entry.name)) stats.directoriesSkipped += 1;
        else pending.push(relativePath);
      } else if (entry.isFile() && entry.name !== ".git") {
        // (A .git file is a worktree's or submodule's pointer to its git directory, not the repository's content.)
        stats.filesSeen += 1;
        visit(relativePath);
      }
    }
  }
  return stats;
}

export type ReadOutcome = { text: string } | { skipped: "too large" | "binary" | "unreadable" };

/** The file's text, unless it is over MAX_FILE_BYTES, binary or cannot be read. */
export function readFootprintFile(root: string, relativePath: string): ReadOutcome {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(path.join(root, relativePath), "r");
    const { size } = fstatSync(descriptor);
    if (size > MAX_FILE_BYTES) return { skipped: "too large" };
    const buffer = Buffer.alloc(size);
    let filled = 0;
    while (filled < size) {
      const read = readSync(descriptor, buffer, filled, size - filled, filled);
      if (read === 0) break;
      filled += read;
    }
    const bytes = buffer.subarray(0, filled);
    if (bytes.subarray(0, BINARY_PROBE_BYTES).includes(0)) return { skipped: "binary" };
    return { text: bytes.toString("utf8") };
  } catch {
    return { skipped: "unreadable" };
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}
