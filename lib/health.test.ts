import { afterAll, describe, expect, it, vi } from "vitest";

// The probe is anonymous, so what it says when the database is down must not
// describe the database (host, port, user, driver messages) to whoever asks.
// This file points the app at the test server with a role that does not exist
// before the client is first imported, so the real server refuses it the way
// it would in production (its message names the role).
const working = process.env.DATABASE_URL!;
const refused = new URL(working);
refused.username = "warrant_probe_leak";
refused.password = "s3cret";
process.env.DATABASE_URL = refused.toString();
const { GET } = await import("@/app/api/health/route");

afterAll(() => {
  process.env.DATABASE_URL = working;
});

describe("GET /api/health with the database unreachable", () => {
  it("answers 503 with a status only and logs the detail on the server", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await GET();
    const text = await response.text();

    expect(response.status).toBe(503);
    expect(JSON.parse(text)).toEqual({
      status: "degraded",
      app: { status: "ok", version: expect.any(String) },
      database: { status: "unreachable" },
    });
    expect(text).not.toMatch(/warrant_probe_leak|password|authentication|127\.0\.0\.1|localhost/i);
    expect(logged).toHaveBeenCalled();
    expect(logged.mock.calls.flat().map(String).join(" ")).toMatch(/warrant_probe_leak/);
    logged.mockRestore();
  });
});
