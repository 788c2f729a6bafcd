import { createHash } from "node:crypto";

// A finding's identity across scans: the repository, the detector, the file
// and what in the file it is about. The line is left out on purpose, so an
// edit above a footprint moves it without making it a new finding. The
// scanner writes it into its report; the server computes its own from the
// same parts, so a report cannot make one repository's finding overwrite
// another's.

export function findingFingerprint(parts: { repository: string; detector: string; file: string; subject: string }): string {
  return createHash("sha256")
    .update([parts.repository.toLowerCase(), parts.detector, parts.file, parts.subject].join("\u0000"))
    .digest("hex");
}

/** A secret's fingerprint: enough to tell two leaks of one key apart from two keys, never enough to recover it. */
export function secretFingerprint(secret: string): string {
  return `sha256:${createHash("sha256").update(secret).digest("hex").slice(0, 16)}`;
}
