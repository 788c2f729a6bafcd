// The production web server, started by `npm start` (scripts/start.ts) and the
// bench in place of `next start`: Next's own request handler, with the runtime
// endpoints agents call around every tool call answered first, outside Next's
// router (lib/api/runtime-listener.ts says why). PORT and HOST as for
// `next start`; prints "Ready in …" once it listens, as `next start` does.

import { createServer } from "node:http";

const started = Date.now();
// Next insists on a standard NODE_ENV, and this is the production server.
(process.env as Record<string, string>).NODE_ENV = "production";

async function main() {
  const { default: next } = await import("next");
  const { answerRuntimeRequest } = await import("../lib/api/runtime-listener");
  const { appUrl } = await import("../lib/env");
  const { strictTransportSecurity } = await import("../lib/security/headers");
  const hsts = strictTransportSecurity(appUrl());
  const port = Number(process.env.PORT ?? 3000);
  const hostname = process.env.HOST || undefined;

  const app = next({ dev: false, dir: process.cwd(), hostname, port });
  const handleWithNext = app.getRequestHandler();
  await app.prepare();
  const handleUpgrade = app.getUpgradeHandler();

  const server = createServer((request, response) => {
    // Static files (/_next/static, icons) pass neither proxy.ts nor the API's helpers, which add HSTS
    // to pages and API answers: every answer gets it here, before anything is written.
    if (hsts) response.setHeader("Strict-Transport-Security", hsts);
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

  server.listen(port, hostname, () => {
    console.log(`▲ Warrant (Next.js production server) on http://${hostname ?? "localhost"}:${port}`);
    console.log(`✓ Ready in ${Date.now() - started}ms`);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
