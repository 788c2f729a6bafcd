import type { IncomingMessage, ServerResponse } from "node:http";
import { COMMON_SECURITY_HEADERS, STATIC_CONTENT_SECURITY_POLICY } from "@/lib/security/headers";
import { errorResponse, MAX_API_BODY_BYTES } from "./http";
import { RUNTIME_ENDPOINTS } from "./runtime-endpoints";

// The production server (scripts/server.ts) hands each request here first.
// POSTs to the runtime endpoints that agents call around every tool call
// (authorize, events, the Claude Code hooks) are answered at once by the very
// handlers their Next route files export; everything else goes on to Next.
// Next's router costs more CPU per request than judging one (a bare route
// tops out near 370 requests/s on a 2-core machine), and agents ask before
// every tool call.
//
// What Next would add on the way is added here too: the API's security
// headers (next.config.ts), and X-Forwarded-For from the socket when no proxy
// sent one (the rate limits key unauthenticated clients by it).

const API_HEADERS: [string, string][] = [
  ...COMMON_SECURITY_HEADERS.map(({ key, value }): [string, string] => [key, value]),
  ["Content-Security-Policy", STATIC_CONTENT_SECURITY_POLICY],
];

/** The runtime endpoint this request is for, or undefined when Next should answer it. */
function runtimeEndpointFor(request: IncomingMessage): ((request: Request) => Promise<Response>) | undefined {
  if (request.method !== "POST" || !request.url) return undefined;
  const query = request.url.indexOf("?");
  const path = query === -1 ? request.url : request.url.slice(0, query);
  return Object.hasOwn(RUNTIME_ENDPOINTS, path) ? RUNTIME_ENDPOINTS[path] : undefined;
}

/**
 * The body, up to one byte more than any endpoint accepts: the handler then
 * refuses it as too large (413), and the rest is never read (the connection
 * is closed after the answer instead).
 */
function readBody(request: IncomingMessage): Promise<{ body: Buffer; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > MAX_API_BODY_BYTES) {
        request.pause();
        request.off("data", onData);
        resolve({ body: Buffer.concat(chunks).subarray(0, MAX_API_BODY_BYTES + 1), truncated: true });
      }
    };
    request.on("data", onData);
    request.once("end", () => resolve({ body: Buffer.concat(chunks), truncated: false }));
    request.once("error", reject);
  });
}

function toWebRequest(request: IncomingMessage, body: Buffer): Request {
  const headers = new Headers();
  for (let index = 0; index < request.rawHeaders.length; index += 2)
    headers.append(request.rawHeaders[index]!, request.rawHeaders[index + 1]!);
  if (!headers.has("x-forwarded-for") && request.socket.remoteAddress) headers.set("x-forwarded-for", request.socket.remoteAddress);
  // The handlers read neither the URL's host nor its query: a fixed origin keeps a malformed Host header from mattering.
  return new Request(new URL(request.url!, "http://localhost"), {
    method: "POST",
    headers,
    body: body.length > 0 ? new Uint8Array(body) : null,
  });
}

async function send(response: ServerResponse, answer: Response, closeAfter: boolean): Promise<void> {
  const body = Buffer.from(await answer.arrayBuffer());
  response.statusCode = answer.status;
  for (const [key, value] of API_HEADERS) response.setHeader(key, value);
  answer.headers.forEach((value, key) => response.setHeader(key, value));
  response.setHeader("content-length", body.length);
  if (closeAfter) response.setHeader("connection", "close");
  response.end(body);
}

/**
 * Answers the request when it is for a runtime endpoint and returns true;
 * returns false, having touched nothing, when Next should answer it.
 */
export function answerRuntimeRequest(request: IncomingMessage, response: ServerResponse): boolean {
  const endpoint = runtimeEndpointFor(request);
  if (!endpoint) return false;
  void (async () => {
    let truncated = false;
    try {
      const read = await readBody(request);
      truncated = read.truncated;
      await send(response, await endpoint(toWebRequest(request, read.body)), truncated);
    } catch (error) {
      // The handlers answer their own errors; this is a failure around them (a broken socket, a bug).
      if (!response.headersSent) await send(response, errorResponse(error), true).catch(() => response.destroy());
      else response.destroy();
    } finally {
      if (truncated) response.once("finish", () => request.destroy());
    }
  })();
  return true;
}
