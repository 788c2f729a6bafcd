import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";

// With an https AUTH_URL every answer of the production server carries HSTS,
// static files included: proxy.ts adds it to pages and lib/api/http.ts to the
// API, but neither sees /_next/static or the icons (scripts/server.ts adds it).
// A second production server of the same build, started with an https public
// URL (behind TLS that terminates elsewhere), asked directly.

const PORT = 3105;
const HSTS = "max-age=63072000; includeSubDomains";

test("static files carry Strict-Transport-Security when the public URL is https", async () => {
  const server = spawn(process.execPath, ["--import", "tsx", path.resolve("scripts/server.ts")], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(PORT),
      HOST: "127.0.0.1",
      AUTH_URL: "https://warrant.example.test",
      AUTH_SECRET: randomBytes(33).toString("base64"),
      // Static files need no database; the server only needs to be told one exists.
      DATABASE_URL: "postgresql://nobody:nothing@127.0.0.1:1/none",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.stdout!.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("Ready in")) resolve();
      });
      server.once("exit", (code) => reject(new Error(`the server exited with ${code}`)));
    });
    const chunk = readdirSync(".next/static/chunks").find((name) => name.endsWith(".js"))!;
    for (const file of ["/icon.svg", `/_next/static/chunks/${chunk}`]) {
      const response = await fetch(`http://127.0.0.1:${PORT}${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get("strict-transport-security"), file).toBe(HSTS);
    }
    // Pages keep theirs, once (the proxy sets the same header).
    const signIn = await fetch(`http://127.0.0.1:${PORT}/sign-in`);
    expect(signIn.headers.get("strict-transport-security")).toBe(HSTS);
  } finally {
    server.kill("SIGTERM");
  }
});
