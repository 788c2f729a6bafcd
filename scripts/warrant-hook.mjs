#!/usr/bin/env node
// warrant-hook: Claude Code's command hook for Warrant, for clients that run
// command hooks only (HTTP hooks need no script: see the README). It reads the
// hook input Claude Code writes on stdin, sends it to Warrant with the
// identity's agent token, and prints Warrant's answer for Claude Code to read.
//
//   WARRANT_URL=https://warrant.example.com WARRANT_AGENT_TOKEN=wai_… node scripts/warrant-hook.mjs pre-tool-use
//   … post-tool-use
//
// No dependencies: copy this one file next to an agent and run it with Node 18+.
//
// Fails closed: when Warrant cannot be reached or answers with an error, a
// PreToolUse call is denied (exit 2, the reason on stderr), because a guard
// that lets calls through whenever it is down guards nothing. Set
// WARRANT_HOOK_FAIL_OPEN=1 to let them through instead (exit 0, a warning).
// A PostToolUse report that fails only warns: the call has already run.

const EVENTS = { "pre-tool-use": "PreToolUse", "post-tool-use": "PostToolUse" };
const TIMEOUT_MS = Number(process.env.WARRANT_HOOK_TIMEOUT_MS ?? 10_000);

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

function refuse(event, reason) {
  if (event === "PreToolUse" && process.env.WARRANT_HOOK_FAIL_OPEN !== "1") {
    process.stderr.write(`Warrant could not judge this call, so it is denied: ${reason}\n`);
    process.exit(2);
  }
  process.stderr.write(`warrant-hook: ${reason}\n`);
  process.exit(0);
}

async function main() {
  const command = process.argv[2];
  const event = EVENTS[command];
  if (!event) {
    process.stderr.write("Usage: warrant-hook pre-tool-use|post-tool-use  (hook input on stdin)\n");
    process.exit(64);
  }
  const base = process.env.WARRANT_URL;
  const token = process.env.WARRANT_AGENT_TOKEN;
  if (!base || !token) return refuse(event, "set WARRANT_URL and WARRANT_AGENT_TOKEN (the identity's agent token, wai_…)");

  const input = await readStdin();
  let response;
  try {
    response = await fetch(new URL(`/api/v1/hooks/claude-code/${command}`, base), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: input,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    return refuse(event, `Warrant at ${base} did not answer (${error instanceof Error ? error.message : String(error)})`);
  }
  const text = await response.text();
  if (!response.ok) return refuse(event, `Warrant answered ${response.status}: ${text.slice(0, 500)}`);
  process.stdout.write(text);
  process.exit(0);
}

await main();
