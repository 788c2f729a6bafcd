import http from "node:http";
import { performance } from "node:perf_hooks";

// An open-loop, constant-rate load generator (the way wrk2 drives a server):
// request i is due at start + i / rate, whether or not earlier answers have
// come back, so arrivals are evenly spaced the way agents asking
// independently arrive, and a slow answer does not hold later requests back.
// Latency is measured from when a request was due, not when it was sent, so
// time a request spent waiting behind the generator or the server's backlog
// counts ("coordinated omission" corrected).
//
// The bench keeps autocannon beside it: autocannon's rate limit sends each
// connection's quota for the second back to back (see bench-authorize.ts), so
// its figures are bursts, not a steady rate.

export interface PacedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface PacedLoadResult {
  rate: number;
  seconds: number;
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  achievedPerSecond: number;
  /** From when each request was due to its last byte, in ms. */
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** The most requests waiting for an answer at once. */
  maxInFlight: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

export async function pacedLoad(options: {
  base: string;
  rate: number;
  seconds: number;
  /** The i-th request (called once per request, in order). */
  request: (index: number) => PacedRequest;
  /** Sockets kept open to the server; more are opened only when this many are busy. */
  maxSockets?: number;
}): Promise<PacedLoadResult> {
  const { rate, seconds } = options;
  const url = new URL(options.base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 256 });
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies: number[] = [];
  let sent = 0;
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let finished = 0;

  const started = performance.now();
  await new Promise<void>((resolve) => {
    const done = () => {
      finished += 1;
      inFlight -= 1;
      if (finished === total) resolve();
    };
    const fire = (index: number, due: number) => {
      const { path, headers, body } = options.request(index);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const outgoing = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path,
          method: "POST",
          headers: { ...headers, "content-length": Buffer.byteLength(body) },
        },
        (response) => {
          response.resume();
          response.on("end", () => {
            latencies.push(performance.now() - due);
            if (response.statusCode! >= 200 && response.statusCode! < 300) ok += 1;
            else non2xx += 1;
            done();
          });
        },
      );
      outgoing.on("error", () => {
        errors += 1;
        done();
      });
      outgoing.end(body);
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && started + sent * interval <= now) {
        fire(sent, started + sent * interval);
        sent += 1;
      }
      if (sent < total) setTimeout(tick, Math.max(0, started + sent * interval - performance.now()));
    };
    tick();
  });
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    rate,
    seconds,
    sent,
    ok,
    non2xx,
    errors,
    achievedPerSecond: ok / elapsed,
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p90: round(percentile(latencies, 90)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies.at(-1) ?? 0),
    },
    maxInFlight,
  };
}
