import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pacedLoad } from "./paced-load";

// The bench's evenly spaced load: every request it was asked for reaches the
// server, as built, and each answer is counted by its status.

const received: { path: string; authorization: string | undefined; body: string }[] = [];
let base = "";
const server = http.createServer((request, response) => {
  let body = "";
  request.on("data", (chunk: Buffer) => (body += chunk.toString()));
  request.on("end", () => {
    received.push({ path: request.url!, authorization: request.headers.authorization, body });
    response.statusCode = body.includes('"fail"') ? 503 : 200;
    response.end("{}");
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("pacedLoad", () => {
  it("sends rate × seconds requests, each as built, and counts answers by status", async () => {
    const result = await pacedLoad({
      base,
      rate: 100,
      seconds: 1.5,
      request: (index) => ({
        path: `/run/${index}`,
        headers: { authorization: `Bearer agent-${index % 3}` },
        body: JSON.stringify(index % 10 === 9 ? { fail: index } : { index }),
      }),
    });
    expect(result).toMatchObject({ rate: 100, sent: 150, ok: 135, non2xx: 15, errors: 0 });
    expect(received.map((request) => request.path).sort()).toEqual(Array.from({ length: 150 }, (_, index) => `/run/${index}`).sort());
    expect(received.find((request) => request.path === "/run/4")).toEqual({
      path: "/run/4",
      authorization: "Bearer agent-1",
      body: '{"index":4}',
    });
    expect(result.latencyMs.max).toBeGreaterThanOrEqual(result.latencyMs.p50);
  });

  it("counts a server that is not there as errors, not answers", async () => {
    const result = await pacedLoad({
      base: "http://127.0.0.1:9",
      rate: 50,
      seconds: 0.2,
      request: () => ({ path: "/", headers: {}, body: "" }),
    });
    expect(result).toMatchObject({ sent: 10, ok: 0, non2xx: 0, errors: 10 });
  });
});
