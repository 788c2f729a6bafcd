import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { startSmtpCapture } from "../lib/testing/receivers";
import { APP_URL } from "./fixtures";

// Email in browser tests: the app under test has no SMTP server (its mail waits in the outbox, as in
// the demo), so a test that follows an email starts a real SMTP server of its own and runs the jobs
// that write and deliver messages against the app's database, through the CLI as an operator would,
// with SMTP_URL pointing at it.

const run = promisify(execFile);

/** The e2e app's embedded PostgreSQL (playwright.config.ts: .data/e2e on port 54340), as its superuser. */
function e2eDatabaseUrl(): string {
  const secrets = JSON.parse(readFileSync(path.resolve(".data/e2e/secrets.json"), "utf8")) as { POSTGRES_PASSWORD: string };
  return `postgresql://postgres:${encodeURIComponent(secrets.POSTGRES_PASSWORD)}@localhost:54340/warrant`;
}

export async function startMailbox() {
  const smtp = await startSmtpCapture();
  return {
    mails: smtp.mails,
    close: smtp.close,
    /** Runs background jobs by name (`npm run cli -- jobs:run <name>`), in order, against the app's database. */
    async runJobs(...names: string[]) {
      for (const name of names) {
        await run("npx", ["tsx", "lib/cli/main.ts", "jobs:run", name], {
          env: {
            ...process.env,
            DATABASE_URL: e2eDatabaseUrl(),
            SMTP_URL: smtp.url,
            SMTP_FROM: "Warrant <warrant@example.com>",
            AUTH_URL: APP_URL,
            WARRANT_WEBHOOKS_ALLOW_PRIVATE: "1",
          },
        });
      }
    },
  };
}

/** An email's text as its reader sees it: the body, quoted-printable decoded (nodemailer's choice for long lines). */
export function textOf(raw: string): string {
  const body = raw.slice(raw.search(/\r?\n\r?\n/)).trimStart();
  const joined = body.replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let index = 0; index < joined.length; index++) {
    const hex = joined[index] === "=" ? joined.slice(index + 1, index + 3) : "";
    if (/^[0-9A-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      index += 2;
    } else bytes.push(...Buffer.from(joined[index]!, "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

/** The first absolute link to the app in an email's text. */
export function linkIn(raw: string): string {
  const text = textOf(raw);
  const match = text.match(new RegExp(`${APP_URL.replace(/[.]/g, "\\.")}/[^\\s"<>]+`));
  if (!match) throw new Error(`no link to ${APP_URL} in the email`);
  return match[0];
}
