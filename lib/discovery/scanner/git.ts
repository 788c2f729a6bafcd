import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { repositoryNameSchema } from "@/lib/validation/discovery";

// What the checkout says about itself, read from .git without running git
// (a CI image may not have it): the origin's owner/name and the commit.

/** owner/name from a remote URL: https://github.com/owner/name.git, git@github.com:owner/name.git, ssh://git@host:22/group/sub/name. */
export function repositoryFromRemoteUrl(url: string): string | undefined {
  const trimmed = url.trim();
  let repoPath: string | undefined;
  const scpLike = /^[\w.-]+@[\w.-]+:(?!\/\/)(.+)$/.exec(trimmed);
  if (scpLike) repoPath = scpLike[1];
  else {
    try {
      repoPath = new URL(trimmed).pathname; // credentials in the URL stay out: only the path is kept
    } catch {
      return undefined;
    }
  }
  const name = repoPath!
    .replace(/^\/+|\/+$/g, "")
    .replace(/\.git$/, "")
    .replace(/^scm\//, "");
  if (!name.includes("/")) return undefined;
  return repositoryNameSchema.safeParse(name).success ? name : undefined;
}

/** The git directory and the one holding config and refs (they differ in a worktree, where .git is a file). */
function gitDirectories(root: string): { gitDir: string; commonDir: string } | undefined {
  const dotGit = path.join(root, ".git");
  if (!existsSync(dotGit)) return undefined;
  let gitDir = dotGit;
  if (statSync(dotGit).isFile()) {
    const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, "utf8"));
    if (!pointer) return undefined;
    gitDir = path.resolve(root, pointer[1]!.trim());
  }
  const commonFile = path.join(gitDir, "commondir");
  const commonDir = existsSync(commonFile) ? path.resolve(gitDir, readFileSync(commonFile, "utf8").trim()) : gitDir;
  return { gitDir, commonDir };
}

/** The origin remote's owner/name, when the checkout has one that looks like a repository name. */
export function readOriginRepository(root: string): string | undefined {
  try {
    const dirs = gitDirectories(root);
    if (!dirs) return undefined;
    const config = readFileSync(path.join(dirs.commonDir, "config"), "utf8");
    const section = /^\s*\[remote\s+"origin"\]\s*$([\s\S]*?)(?=^\s*\[|(?![\s\S]))/m.exec(config);
    const url = section && /^\s*url\s*=\s*(.+)$/m.exec(section[1]!);
    return url ? repositoryFromRemoteUrl(url[1]!) : undefined;
  } catch {
    return undefined;
  }
}

const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** The checked-out commit, when HEAD can be resolved from the files. */
export function readHeadCommit(root: string): string | undefined {
  try {
    const dirs = gitDirectories(root);
    if (!dirs) return undefined;
    const head = readFileSync(path.join(dirs.gitDir, "HEAD"), "utf8").trim();
    if (COMMIT.test(head)) return head;
    // Only a ref under refs/ is followed: a crafted HEAD must not make the scan read (and report) another file.
    const ref = /^ref:\s*(refs\/[\w./-]+)$/.exec(head)?.[1];
    if (!ref || ref.split("/").includes("..")) return undefined;
    for (const dir of [dirs.gitDir, dirs.commonDir]) {
      const file = path.join(dir, ref);
      if (existsSync(file)) {
        const commit = readFileSync(file, "utf8").trim();
        return COMMIT.test(commit) ? commit : undefined;
      }
    }
    const packed = path.join(dirs.commonDir, "packed-refs");
    if (!existsSync(packed)) return undefined;
    const line = readFileSync(packed, "utf8")
      .split("\n")
      .find((entry) => entry.endsWith(` ${ref}`));
    const commit = line?.split(" ")[0];
    return commit && COMMIT.test(commit) ? commit : undefined;
  } catch {
    return undefined;
  }
}

/** The repository name for a report: the origin's owner/name, else the directory's name. */
export function defaultRepositoryName(root: string): string {
  return readOriginRepository(root) ?? (path.basename(path.resolve(root)).replace(/[^A-Za-z0-9_.-]/g, "-") || "repository");
}
