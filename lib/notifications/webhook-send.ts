import { createHmac } from "node:crypto";
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP } from "node:net";

// POSTs one webhook body. Webhook URLs are set by admins only, but the request
// leaves from inside the network Warrant runs in, so (unless
// WARRANT_WEBHOOKS_ALLOW_PRIVATE=1) it may not reach loopback, private,
// link-local (cloud metadata at 169.254.169.254) or other internal addresses.
// The check runs on the address the socket actually connects to (a `lookup`
// hook), so a name that resolves differently at send time than when the
// webhook was saved (DNS rebinding) is caught too. Redirects are not followed,
// and a receiver's answer is reduced to its status line: nothing it says is
// shown to anyone, so a webhook cannot be used to read internal pages.

const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  PRIVATE.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  PRIVATE.addSubnet(network, prefix, "ipv6");
}

/** True for addresses a webhook may not reach without WARRANT_WEBHOOKS_ALLOW_PRIVATE. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1]!, "ipv4");
  const family = isIP(address);
  if (family === 0) return true;
  return PRIVATE.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** A refusal that no retry can change (the address is private): the message fails at once. */
export class BlockedAddress extends Error {}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup that refuses private addresses; handles both the single-address and the `all` form net.connect uses. */
function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "");
    const blocked = addresses.find((entry) => isPrivateAddress(entry.address));
    if (blocked) return callback(new BlockedAddress(`${hostname} resolves to ${blocked.address}, a private address`), "");
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(new Error(`${hostname} has no address`), "");
    callback(null, first.address, first.family);
  });
}

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowPrivate: boolean;
}

/** Resolves with the status code on a 2xx answer; rejects with a one-line reason otherwise. */
export function postWebhook(request: WebhookRequest): Promise<number> {
  const url = new URL(request.url);
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!request.allowPrivate && isIP(hostname) !== 0 && isPrivateAddress(hostname)) {
    return Promise.reject(new BlockedAddress(`${hostname} is a private address (set WARRANT_WEBHOOKS_ALLOW_PRIVATE=1 to allow it)`));
  }
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: "POST",
        headers: { ...request.headers, "Content-Length": String(Buffer.byteLength(request.body)) },
        ...(request.allowPrivate ? {} : { lookup: guardedLookup as unknown as typeof dnsLookup }),
      },
      (res) => {
        // The answer's body is read and dropped: only the status counts.
        res.resume();
        res.on("end", () => {
          clearTimeout(timer);
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(status);
          else
            reject(
              new Error(
                `HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ""}${status >= 300 && status < 400 ? " (redirects are not followed)" : ""}`,
              ),
            );
        });
        res.on("error", (error) => reject(error));
      },
    );
    // The whole exchange, not only an idle socket, has to fit in the timeout.
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${request.timeoutMs / 1000} s`)), request.timeoutMs);
    req.on("error", (error) => {
      clearTimeout(timer);
      reject(
        error instanceof BlockedAddress ? new BlockedAddress(`${error.message} (set WARRANT_WEBHOOKS_ALLOW_PRIVATE=1 to allow it)`) : error,
      );
    });
    req.end(request.body);
  });
}
