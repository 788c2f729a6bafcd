import { describe, expect, it } from "vitest";
import { fixtureRepository } from "@/lib/testing/fixture-repository";
import { defaultRepositoryName, readHeadCommit, repositoryFromRemoteUrl } from "./git";

describe("the repository name from a remote URL", () => {
  it.each([
    ["https://github.com/acme/web.git", "acme/web"],
    ["https://github.com/acme/web", "acme/web"],
    ["https://x-access-token:secret@github.com/acme/web.git", "acme/web"],
    ["git@github.com:acme/web.git", "acme/web"],
    ["ssh://git@github.com/acme/web.git", "acme/web"],
    ["ssh://git@gitlab.example.com:2222/group/sub/web.git", "group/sub/web"],
    ["https://gitlab.com/group/sub/web.git/", "group/sub/web"],
  ])("%s → %s", (url, name) => {
    expect(repositoryFromRemoteUrl(url)).toBe(name);
  });

  it("gives nothing for a URL that names no owner/name", () => {
    expect(repositoryFromRemoteUrl("/srv/git/web.git")).toBeUndefined();
    expect(repositoryFromRemoteUrl("not a url")).toBeUndefined();
  });
});

describe("what a checkout says about itself", () => {
  it("reads the origin's owner/name and the commit from .git, and falls back to the directory's name", async () => {
    const sha = "0123456789abcdef0123456789abcdef01234567";
    const root = await fixtureRepository({
      ".git/config":
        '[core]\n\tbare = false\n[remote "upstream"]\n\turl = git@github.com:other/fork.git\n[remote "origin"]\n\turl = https://github.com/acme/payments-api.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n',
      ".git/HEAD": "ref: refs/heads/main\n",
      ".git/packed-refs": `# pack-refs with: peeled\n${sha} refs/heads/main\n`,
    });
    expect(defaultRepositoryName(root)).toBe("acme/payments-api");
    expect(readHeadCommit(root)).toBe(sha);
    const plain = await fixtureRepository({ "README.md": "hi" });
    expect(defaultRepositoryName(plain)).toMatch(/^warrant-scan-/);
    expect(readHeadCommit(plain)).toBeUndefined();
  });
});

describe("a crafted HEAD", () => {
  it("is not followed outside refs/, and what it points at must look like a commit", async () => {
    const root = await fixtureRepository({ ".git/HEAD": "ref: refs/../../README.md\n", "README.md": "hello\n" });
    expect(readHeadCommit(root)).toBeUndefined();
    const other = await fixtureRepository({ ".git/HEAD": "ref: refs/heads/main\n", ".git/refs/heads/main": "not a commit\n" });
    expect(readHeadCommit(other)).toBeUndefined();
  });
});
