// `npm run cli -- <command> [options]`: admin tasks from a terminal. Uses
// DATABASE_URL, or the embedded database under the data directory (reusing it
// if the app is running). Changes go through the same mutations as the UI and
// API, so they are validated and audited the same way (actor: "cli").

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ConfigError, parseEnv } from "../env";
import { prepareDatabase } from "../db/prepare";

const HELP = `Usage: npm run cli -- <command> [options]

Commands:
  users:create --email <email> --name <name> [--roles admin,security_lead,approver,auditor]
  users:list
  tokens:create --email <owner email> --name <name> --scopes read[,write,agent] [--days 90]
  agent-tokens:issue --identity <name or id> --label <label> [--days 30]
                        issue the identity an agent token (wai_…) for the runtime endpoints (authorize,
                        access requests, events, Claude Code hooks); shown once
  audit:verify [--public-key <PEM file>]
                        walk the audit hash chain, report the first broken link, and check it
                        against the signed checkpoints (so deleting the newest events shows)
  events:verify [--from <seq>] [--to <seq>]
                        walk the activity log's hash chain (or that range) and report the first broken link
  audit:public-key      print the public key that verifies audit checkpoints (for offline checks)
  risk:recompute        re-rate every identity (inputs such as credential age change with time)
  signing-keys:rotate [--reason <text>]
                        retire the key that signs just-in-time tokens and make a new one; tokens already
                        issued keep verifying until they expire (the old key stays published that long)
  approvals:list --as <email> [--view waiting|mine|all|history]
                        approval requests as that person sees them (default: waiting for their decision)
  approvals:approve <request id> --as <email> [--comment <text>]
  approvals:reject <request id> --as <email> --comment <text>
                        decide as that person: the same rules as in the browser (levels, no self-approval)
  policies:export [--version <number>] [--file <path>]
                        write the active runtime policies (or that version) as a .cedar file, or to stdout
  policies:import --file <path> --as <email> [--note <text>] [--activate --justification <text>]
                        store the file as a new policy version as that security lead (checked against the
                        schema, problems named by line and column); --activate asks for its activation
  frameworks:import-oscal --file <catalog.json> --as <email> [--key <key>]
                        add a framework of your own from an OSCAL catalog, as that security lead; every
                        group and control becomes an item under its label, nested as in the catalog
  controls:run          run every control now over live data and print each one's status
  evidence:verify <package.zip> [--keys <warrant-evidence-keys.json>] [--trust <key id>[,…]] [--public-key <PEM file>]
                        check an evidence package offline: its manifest's signature, every file's SHA-256,
                        the audit chain segment and its checkpoints; says exactly which file or event fails.
                        --keys (the file /.well-known/warrant-evidence-keys.json serves) or --trust name the
                        keys that may sign it; --public-key is the audit checkpoints' key, when not the one
                        the package carries. Needs no database.
  campaigns:start --as <lead's email> --name <name> --due YYYY-MM-DD --message <text> (--view <saved view name> | --query "<inventory query string>")
                        start a review campaign as that security lead: one review per identity in service the
                        saved view (theirs or a shared one) or the query matches (e.g. "teamId=…&risk=HIGH")
  campaigns:list        list the review campaigns with their progress
  campaigns:close <campaign id> --as <lead's email>
                        close a campaign (its open reviews stay open and owed)
  scan <directory> [--repo-name owner/name] [--environment dev|staging|prod] [--team <team name>] [--report <out.json>]
       [--submit [--url <Warrant URL>] [--token <API token>]]
                        look for AI coding tools' footprints in a checked-out repository (MCP servers, agent
                        settings and hooks, CI jobs that run an agent, instruction files, secrets in them) and
                        write the findings as JSON (stdout, or --report); --submit sends them to Warrant
                        (WARRANT_URL and WARRANT_TOKEN, or --url and --token). Needs no database.
  jobs:list             list the background jobs and when each runs
  jobs:run <name>       run one background job now, in the foreground (the worker runs them on schedule)
  db:migrate            apply pending migrations and exit
`;

function list(value: string | undefined): string[] {
  return value
    ? value
        .split(",")
        .map((item) => item.trim().toUpperCase())
        .filter(Boolean)
    : [];
}

async function run(command: string, argument: string | undefined, options: Record<string, string | undefined>): Promise<number> {
  const { prisma } = await import("../db/client");
  const { executeMutation } = await import("../auth/mutation");
  const cli = { kind: "system" as const, label: "cli" };

  switch (command) {
    case "users:create": {
      const { createUser } = await import("../users/mutations");
      const user = await executeMutation(createUser, cli, { email: options.email, name: options.name, roles: list(options.roles) });
      console.log(`Created ${user.email} (${user.id}) with roles: ${user.roles.join(", ") || "none (owner)"}`);
      return 0;
    }
    case "users:list": {
      const { listUsers } = await import("../users/queries");
      for (const user of await listUsers(prisma)) {
        console.log(`${user.active ? "active     " : "deactivated"}  ${user.email.padEnd(36)} ${user.roles.join(",") || "-"}`);
      }
      return 0;
    }
    case "tokens:create": {
      const { createApiToken } = await import("../auth/api-tokens");
      const token = await executeMutation(createApiToken, cli, {
        userEmail: options.email,
        name: options.name,
        scopes: list(options.scopes),
        expiresInDays: options.days ?? "90",
      });
      console.log(`Created API token "${token.name}" expiring ${token.expiresAt.toISOString()}.`);
      console.log("Copy it now, it is not shown again:");
      console.log(token.secret);
      return 0;
    }
    case "agent-tokens:issue": {
      const { issueAgentToken } = await import("../auth/agent");
      if (!options.identity) {
        console.error("Name the identity: --identity <name or id>.");
        return 1;
      }
      // Names are not unique (a team may reuse one per environment): an ambiguous name is refused, not guessed.
      const matches = await prisma.aiIdentity.findMany({
        where: { OR: [{ id: options.identity }, { name: options.identity }] },
        select: { id: true, environment: true },
        take: 2,
      });
      const identity = matches.length === 1 ? matches[0]! : null;
      if (!identity) {
        console.error(
          matches.length === 0
            ? `No identity is named or has the id ${options.identity}.`
            : `More than one identity is named ${options.identity}: give its id instead.`,
        );
        return 1;
      }
      const token = await executeMutation(issueAgentToken, cli, {
        identityId: identity.id,
        label: options.label,
        expiresInDays: options.days,
      });
      console.log(`Issued agent token "${token.label}" expiring ${token.expiresAt.toISOString()}.`);
      console.log("Copy it now, it is not shown again:");
      console.log(token.secret);
      return 0;
    }
    case "controls:run": {
      const { runControls } = await import("../controls/run");
      const { listControls } = await import("../controls/queries");
      const summary = await executeMutation(runControls, cli, {});
      for (const control of await listControls(prisma)) {
        const latest = control.latest;
        console.log(
          `${(latest?.status ?? "NOT RUN").padEnd(15)} ${control.key.padEnd(34)} ${latest?.status === "NOT_APPLICABLE" ? latest.reason : (latest?.measure ?? "")}`,
        );
      }
      console.log(`Run ${summary.runId}: ${summary.passed} pass, ${summary.failed} fail, ${summary.notApplicable} not applicable.`);
      return summary.failed > 0 ? 2 : 0;
    }
    case "audit:verify": {
      const { verifyAuditChain } = await import("../audit/verify");
      const { auditSigningKey, parsePublicKey, verifyCheckpoints } = await import("../audit/checkpoint");
      const { createPublicKey } = await import("node:crypto");
      const result = await verifyAuditChain(prisma);
      if (!result.ok) {
        console.error(`Audit chain BROKEN at event #${result.brokenAtSeq}: ${result.reason}. ${result.events} events before it verified.`);
        return 2;
      }
      console.log(`Audit chain intact: ${result.events} events, head #${result.headSeq ?? "-"} ${result.headHash}`);
      const given = options["public-key"];
      const signingKey = auditSigningKey();
      const publicKey = given
        ? parsePublicKey(existsSync(given) ? readFileSync(given, "utf8") : given)
        : signingKey && createPublicKey(signingKey);
      if (!publicKey) {
        console.error(
          "Checkpoints NOT checked: no key (set WARRANT_AUDIT_SIGNING_KEY, or pass --public-key), so deleting the newest events would not show.",
        );
        return 3;
      }
      const checkpoints = await verifyCheckpoints(prisma, publicKey, result.headSeq);
      if (!checkpoints.ok) {
        console.error(
          `Audit checkpoints FAILED at #${checkpoints.seq}: ${checkpoints.reason}. ${checkpoints.checkpoints} checkpoints before it verified.`,
        );
        return 2;
      }
      if (!checkpoints.latest) {
        console.log("No checkpoint yet (the audit.checkpoint job writes one every 10 minutes): the newest events are not yet covered.");
      } else {
        const { seq, createdAt } = checkpoints.latest;
        console.log(
          `Checkpoints valid: ${checkpoints.checkpoints}, latest #${seq} at ${createdAt.toISOString()}; ${result.events - Number(seq)} events since.`,
        );
      }
      return 0;
    }
    case "events:verify": {
      const { verifyActivityChain } = await import("../events/verify");
      const { AppError } = await import("../errors");
      const seq = (name: "from" | "to") => {
        const value = options[name];
        if (value === undefined) return undefined;
        if (!/^[1-9]\d{0,18}$/.test(value))
          throw new AppError("validation_failed", `--${name} must be an event number.`, { [name]: "must be a positive whole number" });
        return BigInt(value);
      };
      const result = await verifyActivityChain(prisma, { fromSeq: seq("from"), toSeq: seq("to") });
      if (!result.ok) {
        console.error(
          `Activity chain BROKEN at event #${result.brokenAtSeq}: ${result.reason}. ${result.events} events before it verified.`,
        );
        return 2;
      }
      console.log(
        `Activity chain intact: ${result.events} events from #${result.fromSeq}, head #${result.headSeq ?? "-"} ${result.headHash}`,
      );
      return 0;
    }
    case "audit:public-key": {
      const { auditSigningKey, keyIdOf } = await import("../audit/checkpoint");
      const { createPublicKey } = await import("node:crypto");
      const key = auditSigningKey();
      if (!key) {
        console.error("No audit signing key is configured: set WARRANT_AUDIT_SIGNING_KEY (see README).");
        return 3;
      }
      const publicKey = createPublicKey(key);
      console.log(publicKey.export({ format: "pem", type: "spki" }).toString().trim());
      console.log(`key id (SHA-256 of the key): ${keyIdOf(publicKey)}`);
      return 0;
    }
    case "signing-keys:rotate": {
      const { rotateSigningKey } = await import("../access/keys");
      const rotated = await executeMutation(rotateSigningKey, cli, { reason: options.reason });
      console.log(`New signing key ${rotated.kid}${rotated.retired.length > 0 ? `; retired ${rotated.retired.join(", ")}` : ""}.`);
      return 0;
    }
    case "risk:recompute": {
      const { recomputeAllRiskAndRecord } = await import("../inventory/recompute-risk");
      const { changed } = await recomputeAllRiskAndRecord(prisma, cli);
      console.log(`Re-rated every identity: ${changed} changed tier or reasons.`);
      return 0;
    }
    case "approvals:list": {
      const { listApprovalRequests, approvalListQuery } = await import("../approvals/queries");
      const actor = await personActor(prisma, options.as);
      const query = approvalListQuery.parse({ view: options.view });
      const { data } = await listApprovalRequests(prisma, actor, query, { limit: 500 });
      for (const request of data) {
        const level = request.waitingForLevel ? ` level ${request.waitingForLevel.number}: ${request.waitingForLevel.name}` : "";
        console.log(`${request.id}  ${request.status.padEnd(9)} ${request.summary}  (by ${request.requester.email}${level})`);
      }
      if (data.length === 0) console.log("No approval requests.");
      return 0;
    }
    case "approvals:approve":
    case "approvals:reject": {
      const { decideApprovalRequest } = await import("../approvals/decide");
      const actor = await personActor(prisma, options.as);
      const verdict = command === "approvals:approve" ? "APPROVE" : "REJECT";
      const result = await executeMutation(decideApprovalRequest, actor, { requestId: argument, verdict, comment: options.comment });
      console.log(
        `${verdict === "APPROVE" ? "Approved" : "Rejected"} ${result.id}: now ${result.status}${"reason" in result ? ` (${result.reason})` : ""}.`,
      );
      return 0;
    }
    case "policies:export": {
      const { activePolicyVersion } = await import("../policy/store");
      const version = options.version
        ? await prisma.policyVersion.findUnique({ where: { number: Number(options.version) } })
        : await activePolicyVersion(prisma);
      if (!version) {
        console.error(`No policy version ${options.version}.`);
        return 1;
      }
      if (options.file) {
        writeFileSync(options.file, version.text);
        console.error(`Wrote version ${version.number} to ${options.file}.`);
      } else {
        process.stdout.write(version.text);
      }
      return 0;
    }
    case "policies:import": {
      const { activatePolicyVersion, createPolicyVersion } = await import("../policy/store");
      const { SentForApproval } = await import("../approvals/request");
      if (!options.file || !existsSync(options.file)) {
        console.error(options.file ? `No file ${options.file}.` : "Name the policy file: --file <path>.");
        return 64;
      }
      const actor = await personActor(prisma, options.as);
      const text = readFileSync(options.file, "utf8");
      const version = await executeMutation(createPolicyVersion, actor, { text, note: options.note });
      console.log(`Stored policy version ${version.number} (${version.policies.length} policies: ${version.policies.join(", ")}).`);
      if (options.activate === undefined) return 0;
      try {
        await executeMutation(activatePolicyVersion, actor, { versionId: version.id, justification: options.justification });
        console.log(`Version ${version.number} is active.`);
      } catch (error) {
        if (!(error instanceof SentForApproval)) throw error;
        console.log(`${error.message} It becomes active once approved.`);
      }
      return 0;
    }
    case "frameworks:import-oscal": {
      const { importOscalFramework } = await import("../controls/framework-import");
      if (!options.file || !existsSync(options.file)) {
        console.error(options.file ? `No file ${options.file}.` : "Name the catalog: --file <catalog.json>.");
        return 64;
      }
      let document: Record<string, unknown>;
      try {
        document = JSON.parse(readFileSync(options.file, "utf8")) as Record<string, unknown>;
      } catch {
        console.error(`${options.file} is not JSON: an OSCAL catalog in its JSON form is expected.`);
        return 65;
      }
      const actor = await personActor(prisma, options.as);
      const framework = await executeMutation(importOscalFramework, actor, { ...document, key: options.key });
      console.log(`Added ${framework.name} ${framework.version} as ${framework.id}: ${framework.requirements} items.`);
      return 0;
    }
    case "campaigns:start": {
      const { startCampaign } = await import("../campaigns/start");
      const { findSavedViewByName } = await import("../inventory/saved-views");
      const actor = await personActor(prisma, options.as);
      if ((options.view === undefined) === (options.query === undefined)) {
        console.error('Name the identities: --view <saved view name> or --query "<inventory query string>" (one of them).');
        return 64;
      }
      const savedViewId = options.view === undefined ? undefined : (await findSavedViewByName(prisma, actor, options.view)).id;
      const result = await executeMutation(startCampaign, actor, {
        name: options.name,
        dueAt: options.due,
        message: options.message,
        ...(savedViewId ? { savedViewId } : { query: options.query }),
      });
      console.log(
        `Started campaign "${result.name}" (${result.id}), due ${result.dueAt.toISOString().slice(0, 10)}: ${result.created} reviews opened, ${result.joined} open reviews joined, ${result.notified} people told.`,
      );
      if (result.inOtherCampaigns > 0)
        console.log(`${result.inOtherCampaigns} matching identities already have an open review in another campaign; it stays there.`);
      return 0;
    }
    case "campaigns:list": {
      const { listCampaigns } = await import("../campaigns/queries");
      const campaigns = await listCampaigns(prisma);
      for (const campaign of campaigns) {
        const { total, attested, pending, overdue } = campaign.progress;
        console.log(
          `${campaign.id}  ${campaign.status.padEnd(6)} due ${campaign.dueAt.toISOString().slice(0, 10)}  ${attested}/${total} attested, ${pending} pending, ${overdue} overdue  ${campaign.name}`,
        );
      }
      if (campaigns.length === 0) console.log("No review campaigns.");
      return 0;
    }
    case "campaigns:close": {
      const { closeCampaign } = await import("../campaigns/manage");
      const actor = await personActor(prisma, options.as);
      const closed = await executeMutation(closeCampaign, actor, { campaignId: argument });
      const { total, attested } = closed.progress;
      console.log(`Closed campaign "${closed.name}": ${attested} of ${total} reviews attested; the open ones stay on their owners' lists.`);
      return 0;
    }
    case "jobs:list": {
      const { JOBS } = await import("../jobs/registry");
      const { createBoss } = await import("../jobs/worker");
      // Computes the next run locally; nothing connects to the queue.
      const boss = createBoss(process.env.DATABASE_URL!);
      for (const job of JOBS) {
        const [next] = boss.previewSchedule(job.cron, { tz: "UTC", count: 1 });
        console.log(
          `${job.name.padEnd(24)} ${`${job.cron} UTC`.padEnd(20)} next ${next?.toISOString() ?? "-"}\n${"".padEnd(25)}${job.why}`,
        );
      }
      return 0;
    }
    case "jobs:run": {
      const { findJob, JOBS } = await import("../jobs/registry");
      const { runJob } = await import("../jobs/job");
      const job = findJob(argument ?? "");
      if (!job) {
        console.error(`${argument ? `No job named "${argument}"` : "Name a job"}. Jobs: ${JOBS.map((entry) => entry.name).join(", ")}.`);
        return 64;
      }
      const started = Date.now();
      const summary = await runJob(job, prisma, cli);
      console.log(`${job.name} done in ${Date.now() - started} ms: ${summary}`);
      return 0;
    }
    case "db:migrate":
      console.log("Migrations are up to date.");
      return 0;
    default:
      console.error(`Unknown command: ${command}\n\n${HELP}`);
      return 64;
  }
}

/**
 * Approvals are decided, and policies written, by people, never by "cli": the operator names who
 * they act as (someone with a terminal on the server can reach the database
 * anyway), and that person's roles and the request's levels apply as in the browser.
 */
async function personActor(prisma: typeof import("../db/client").prisma, email: string | undefined) {
  const { AppError } = await import("../errors");
  const { findUserByEmail } = await import("../users/email");
  if (!email) throw new AppError("validation_failed", "Say who acts: --as <email>.", { as: "is required" });
  const user = await findUserByEmail(prisma, email);
  if (!user?.active) throw new AppError("validation_failed", `${email} is not an active user.`, { as: "must be an active user's email" });
  return { kind: "user" as const, userId: user.id, label: user.email, roles: user.roles };
}

async function verifyEvidence(file: string | undefined, options: Record<string, string | undefined>): Promise<number> {
  if (!file) {
    console.error("Name the package: npm run cli -- evidence:verify <package.zip>.");
    return 64;
  }
  const { verifyEvidencePackage } = await import("../evidence/verify");
  const trusted = [
    ...(options.trust ?? "")
      .split(",")
      .map((id) => id.trim())
      .filter(Boolean),
    ...(options.keys
      ? ((JSON.parse(readFileSync(options.keys, "utf8")) as { keys?: { kid?: string }[] }).keys ?? []).flatMap((key) =>
          key.kid ? [key.kid] : [],
        )
      : []),
  ];
  const auditKey = options["public-key"];
  const result = await verifyEvidencePackage(file, {
    trustedKeyIds: options.trust || options.keys ? trusted : undefined,
    auditPublicKey: auditKey ? (existsSync(auditKey) ? readFileSync(auditKey, "utf8") : auditKey) : undefined,
  });
  const { summary } = result;
  for (const problem of result.problems) console.error(`FAIL ${problem.message}`);
  if (!result.ok) {
    console.error(`Evidence package NOT verified: ${result.problems.length} problem${result.problems.length === 1 ? "" : "s"}.`);
    return 2;
  }
  console.log(
    `Evidence package verified: ${summary.files} files (${summary.bytes} bytes), period ${summary.period?.from} to ${summary.period?.to}, signed by key ${summary.keyId}.`,
  );
  console.log(
    `Audit chain segment: ${summary.events} events intact; ${summary.checkpoints} checkpoints, signatures ${summary.checkpointSignatures}.`,
  );
  if (summary.keyTrusted === null) {
    console.log(
      "The signing key was NOT compared with Warrant's published keys: pass --keys warrant-evidence-keys.json (from /.well-known/) or --trust <key id>, or anyone could have signed it.",
    );
  }
  return 0;
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      email: { type: "string" },
      name: { type: "string" },
      roles: { type: "string" },
      scopes: { type: "string" },
      days: { type: "string" },
      identity: { type: "string" },
      label: { type: "string" },
      "public-key": { type: "string" },
      as: { type: "string" },
      view: { type: "string" },
      comment: { type: "string" },
      file: { type: "string" },
      version: { type: "string" },
      note: { type: "string" },
      activate: { type: "boolean" },
      justification: { type: "string" },
      reason: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      key: { type: "string" },
      keys: { type: "string" },
      trust: { type: "string" },
      message: { type: "string" },
      due: { type: "string" },
      query: { type: "string" },
      "repo-name": { type: "string" },
      environment: { type: "string" },
      team: { type: "string" },
      report: { type: "string" },
      submit: { type: "boolean" },
      url: { type: "string" },
      token: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const command = positionals[0];
  if (!command || values.help) {
    console.log(HELP);
    return command ? 0 : 64;
  }
  // Offline: an auditor checks a package on a machine with no Warrant database.
  if (command === "evidence:verify") return verifyEvidence(positionals[1], values as Record<string, string | undefined>);
  // Offline too: a CI job scans its own checkout, with no Warrant database (and maybe no network).
  if (command === "scan") {
    const { runScanCommand } = await import("./scan");
    return runScanCommand(positionals[1], values);
  }
  const config = parseEnv();
  let database: Awaited<ReturnType<typeof prepareDatabase>>;
  try {
    database = await prepareDatabase(config);
  } catch (error) {
    // Reaching the database failed (secrets file, port, permissions): the message says what to do, as `npm start` prints it.
    console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  try {
    return await run(command, positionals[1], values as Record<string, string | undefined>);
  } finally {
    const { prisma } = await import("../db/client");
    await prisma.$disconnect();
    await database.stop();
  }
}

main()
  .then((code) => process.exit(code))
  .catch(async (error: unknown) => {
    const { toAppError } = await import("../errors");
    const known = toAppError(error);
    if (error instanceof ConfigError) console.error(error.message);
    else if (known) console.error(`Error: ${known.message}`);
    else console.error(error);
    process.exit(1);
  });
