// Where to send someone after sign-in. Browsers read `/\host` as `//host`,
// so prefix checks on the raw string are not enough: the value is resolved
// against the app's URL the way a browser would, and only the app's own
// origin is accepted (an open redirect after sign-in helps phishing).

export function resolveCallbackUrl(value: unknown, appUrl: string): string {
  if (typeof value !== "string" || value === "") return "/";
  const app = new URL(appUrl);
  let resolved: URL;
  try {
    resolved = new URL(value, `${app.origin}/`);
  } catch {
    return "/";
  }
  if (resolved.origin !== app.origin) return "/";
  // A path that a browser could still read as another host (e.g. a leftover
  // `//` after normalisation) is refused too.
  const local = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  return local.startsWith("//") || local.startsWith("/\\") ? "/" : local;
}
