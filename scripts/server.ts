// The production web server, started by `npm start` (scripts/start.ts) and the
// bench in place of `next start`: Next's own request handler, with the runtime
// endpoints agents call around every tool call answered first, outside Next's
// router (lib/api/runtime-listener.ts says why). PORT and HOST as for
// `next start`; prints "Ready in …" once it listens, as `next start` does.
//
// With WARRANT_WEB_PROCESSES above 1, this process only supervises: it starts
// that many copies of the server on the same port (Node's cluster module hands
// each connection to one of them), starts again one that dies, and stops them
// all on SIGTERM or SIGINT.

import cluster from "node:cluster";
import { createServer } from "node:http";

const started = Date.now();
// Next insists on a standard NODE_ENV, and this is the production server.
(process.env as Record<string, string>).NODE_ENV = "production";

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST || undefined;

async function serve() {
  const { default: next } = await import("next");
  const { answerRuntimeRequest } = await import("../lib/api/runtime-listener");

  const app = next({ dev: false, dir: process.cwd(), hostname, port });
  const handleWithNext = app.getRequestHandler();
  await app.prepare();
  const handleUpgrade = app.getUpgradeHandler();

  const server = createServer((request, response) => {
    if (answerRuntimeRequest(request, response)) return;
    handleWithNext(request, response).catch((error: unknown) => {
      console.error(`Failed to handle request for ${request.url}`, error);
      if (!response.headersSent) response.statusCode = 500;
      response.end();
    });
  });
  server.on("upgrade", (request, socket, head) => {
    handleUpgrade(request, socket, head).catch(() => socket.destroy());
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    // Finish the requests in flight, then let Next close what it holds.
    server.close(() => {
      void app.close().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    });
    server.closeIdleConnections();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);

  await new Promise<void>((resolve) => server.listen(port, hostname, resolve));
  if (cluster.isPrimary) announce();
}

function announce(processes = 1) {
  const copies = processes > 1 ? `, ${processes} processes` : "";
  console.log(`▲ Warrant (Next.js production server${copies}) on http://${hostname ?? "localhost"}:${port}`);
  console.log(`✓ Ready in ${Date.now() - started}ms`);
}

/** Starts `processes` servers and keeps them running; exits when told to stop, or when one cannot start at all. */
async function supervise(processes: number) {
  let stopping = false;
  let listening = 0;
  cluster.on("listening", () => {
    listening += 1;
    if (listening === processes) announce(processes);
  });
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    // A server that never got as far as listening will not do better a second time: the configuration or the build is wrong.
    if (listening < processes) {
      console.error(`A web server process exited before it started (code ${code ?? signal}); stopping.`);
      process.exit(code || 1);
    }
    console.error(`Web server process ${worker.process.pid} stopped (${signal ?? `code ${code}`}); starting another.`);
    cluster.fork();
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) process.exit(0);
    for (const worker of workers) worker?.process.kill(signal);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  for (let index = 0; index < processes; index += 1) cluster.fork();
}

async function main() {
  const { env } = await import("../lib/env");
  const processes = env().WARRANT_WEB_PROCESSES;
  if (cluster.isPrimary && processes > 1) await supervise(processes);
  else await serve();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
