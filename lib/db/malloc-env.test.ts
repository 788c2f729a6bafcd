import { afterEach, describe, expect, it } from "vitest";
import { POSTGRES_MALLOC_ENV, withPostgresMallocEnv } from "./embedded";

// The embedded server's malloc settings reach the server it spawns and no
// later child process, however its starts overlap.

const KEYS = Object.keys(POSTGRES_MALLOC_ENV);
const settings = () => Object.fromEntries(KEYS.map((key) => [key, process.env[key]]));

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

afterEach(() => {
  for (const key of KEYS) delete process.env[key];
});

describe("withPostgresMallocEnv", () => {
  it("sets the settings while a server starts and puts back what was there", async () => {
    process.env.MALLOC_TRIM_THRESHOLD_ = "12345";
    const seen = await withPostgresMallocEnv(async () => settings());
    expect(seen).toEqual(POSTGRES_MALLOC_ENV);
    expect(settings()).toEqual({ MALLOC_MMAP_THRESHOLD_: undefined, MALLOC_TRIM_THRESHOLD_: "12345" });
  });

  it("leaves nothing behind when two starts overlap, whichever ends first", async () => {
    const first = deferred();
    const second = deferred();
    const starting = [withPostgresMallocEnv(() => first.promise), withPostgresMallocEnv(() => second.promise)];
    first.resolve();
    await starting[0];
    // The second server has not started yet: it still needs the settings.
    expect(settings()).toEqual(POSTGRES_MALLOC_ENV);
    second.resolve();
    await starting[1];
    expect(settings()).toEqual({ MALLOC_MMAP_THRESHOLD_: undefined, MALLOC_TRIM_THRESHOLD_: undefined });
  });

  it("puts them back when a start fails", async () => {
    await expect(withPostgresMallocEnv(() => Promise.reject(new Error("port in use")))).rejects.toThrow("port in use");
    expect(settings()).toEqual({ MALLOC_MMAP_THRESHOLD_: undefined, MALLOC_TRIM_THRESHOLD_: undefined });
  });
});
