import { existsSync, statSync, writeFileSync } from "node:fs";
import { createWarrantClient, WarrantError } from "../client/warrant-client";
import { summarizeScan, scanRepository } from "../discovery/scanner/scan";
import { scanSubmitTarget } from "../env";
import { scanReportSchema } from "../validation/discovery";

// `npm run cli -- scan <directory>`: the scanner as a CI job runs it on its
// own checkout. The report goes to stdout (or --report), a summary to stderr;
// --submit sends it to Warrant. No database is opened: main.ts routes here
// before preparing one.

const ENVIRONMENTS = ["dev", "staging", "prod"];

export async function runScanCommand(
  directory: string | undefined,
  options: Record<string, string | boolean | undefined>,
): Promise<number> {
  const text = (name: string) => (typeof options[name] === "string" ? (options[name] as string) : undefined);
  if (!directory || !existsSync(directory) || !statSync(directory).isDirectory()) {
    console.error(directory ? `No directory ${directory}.` : "Name the checkout to scan: npm run cli -- scan <directory>.");
    return 64;
  }
  const environment = text("environment") ?? "dev";
  if (!ENVIRONMENTS.includes(environment.toLowerCase())) {
    console.error(`--environment takes ${ENVIRONMENTS.join(", ")}, not ${environment}.`);
    return 64;
  }

  const outcome = scanRepository({ root: directory, repository: text("repo-name"), environment, team: text("team") });
  // The report is checked against the schema the server applies, so a bad --repo-name fails here, not after the upload.
  const checked = scanReportSchema.safeParse(outcome.report);
  if (!checked.success) {
    for (const issue of checked.error.issues) console.error(`The report is not valid: ${issue.path.join(".")} ${issue.message}`);
    return 1;
  }
  const json = `${JSON.stringify(outcome.report, null, 2)}\n`;
  const reportFile = text("report");
  if (reportFile) writeFileSync(reportFile, json);
  else process.stdout.write(json);
  console.error(summarizeScan(outcome));
  if (reportFile) console.error(`Wrote the report to ${reportFile}.`);

  if (options.submit !== true) return 0;
  const target = scanSubmitTarget();
  const url = text("url") ?? target.url;
  const token = text("token") ?? target.token;
  if (!url || !token) {
    console.error("To submit, give Warrant's URL and an API token: WARRANT_URL and WARRANT_TOKEN, or --url and --token.");
    return 64;
  }
  try {
    const answer = await createWarrantClient({ baseUrl: url, token }).submitScan(outcome.report);
    const { total, new: added, seenAgain, gone, flagged } = answer.counts;
    const counts = `${total} found: ${added} new, ${seenAgain} seen again, ${gone} gone, ${flagged} beyond their identity's grants`;
    console.error(`Submitted: scan ${answer.scan.id} (${counts}). ${new URL(answer.link, url).toString()}`);
    return 0;
  } catch (error) {
    if (error instanceof WarrantError) {
      console.error(`Warrant refused the report (${error.status}): ${error.message}`);
      for (const [field, message] of Object.entries(error.fields ?? {})) console.error(`  ${field}: ${message}`);
    } else {
      // fetch says only "fetch failed"; its cause names the problem (ECONNREFUSED, a certificate, DNS).
      const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
      console.error(`Could not submit the report to ${url}: ${error instanceof Error ? error.message : String(error)}${cause}`);
    }
    return 2;
  }
}
