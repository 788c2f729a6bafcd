import { execFileSync } from "node:child_process";
import { chmod, copyFile, mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scratchDir } from "@/lib/testing/scratch-dir";
import { startEmbeddedDatabase } from "./embedded";

// Issue 7, item 13: run as root, PostgreSQL runs as the `postgres` OS user,
// which cannot reach a checkout or data directory under a private directory
// (/root is 0700). That used to end in an unhandled `spawn … EACCES` or a bare
// initdb failure; now the start stops with a message saying why and what to do.

const isRoot = process.getuid?.() === 0;

const postgresUser = () => ({
  uid: Number(execFileSync("id", ["-u", "postgres"]).toString()),
  gid: Number(execFileSync("id", ["-g", "postgres"]).toString()),
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "localhost", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe.skipIf(!isRoot)(
  "starting the embedded PostgreSQL as root (runs only as root: only then does the server run as the postgres OS user)",
  () => {
    it("stops with a clear message when the data directory is under a directory the postgres user cannot enter", async () => {
      const closed = await scratchDir("warrant-root-only-");
      await chmod(closed, 0o700);
      const dataDir = path.join(closed, "data", "postgres");
      await expect(startEmbeddedDatabase({ dataDir, port: await freePort(), password: "irrelevant-password" })).rejects.toThrow(
        /postgres OS user cannot reach the data directory .*Set WARRANT_DATA_DIR to a directory the postgres user can reach.*run `npm start` as an ordinary user/,
      );
    });

    it("names the server binaries when the checkout itself is out of the postgres user's reach", async () => {
      const { checkPostgresUserAccess } = await import("./embedded");
      const closed = await scratchDir("warrant-root-only-");
      await chmod(closed, 0o700);
      const initdb = path.join(closed, "checkout", "bin", "initdb");
      await mkdir(path.dirname(initdb), { recursive: true });
      await copyFile("/bin/true", initdb);
      const open = await scratchDir("warrant-open-");
      await chmod(open, 0o755);
      expect(() => checkPostgresUserAccess({ binaries: [initdb], dataDir: path.join(open, "postgres"), ids: postgresUser() })).toThrow(
        new RegExp(`postgres OS user cannot run ${initdb}.*ordinary user`),
      );
    });
  },
);
