// A small reverse proxy for the browser tests, so the app is reached on a
// different host and port than the one `next start` listens on (as behind
// nginx, Caddy or a load balancer). Like most proxies it sends the upstream's
// own Host and says where the request really came to in X-Forwarded-Host and
// X-Forwarded-Proto; it does not rewrite Location headers, so a redirect the
// app builds from its own bound address reaches the browser as it is.
import http from "node:http";

const listen = new URL(process.env.PROXY_URL ?? "http://127.0.0.3:3100");
const upstream = new URL(process.env.UPSTREAM_URL ?? "http://127.0.0.1:3102");

const server = http.createServer((request, response) => {
  const headers = { ...request.headers };
  headers.host = upstream.host;
  headers["x-forwarded-host"] = request.headers.host ?? listen.host;
  headers["x-forwarded-proto"] = listen.protocol.replace(":", "");
  headers["x-forwarded-for"] = request.socket.remoteAddress ?? "";
  const forwarded = http.request(
    { hostname: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    },
  );
  forwarded.on("error", () => {
    if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain" });
    response.end("upstream unavailable");
  });
  request.pipe(forwarded);
});

server.listen(Number(listen.port), listen.hostname, () => console.log(`test reverse proxy ${listen.origin} -> ${upstream.origin}`));
