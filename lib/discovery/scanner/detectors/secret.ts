import { secretFingerprint } from "@/lib/discovery/fingerprint";
import { findSecrets } from "@/lib/security/secret-detector";
import { lineAt, lineStarts } from "../text";
import type { Detector, Footprint, FootprintFile } from "../types";

// A secret written into a footprint file (an MCP server's env, an aider
// config's api key): always HIGH, each its own finding. The subject is the
// kind and the secret's fingerprint, so the same leaked key is one finding
// scan after scan, and the value itself goes nowhere. Only files another
// detector claims are read, so this one claims none of its own: the scanner
// runs it over every footprint file it reads.

export function secretFootprints(file: FootprintFile): Footprint[] {
  const starts = lineStarts(file.text);
  return findSecrets(file.text).map(({ kind, index, length }) => {
    const fingerprint = secretFingerprint(file.text.slice(index, index + length));
    return {
      severity: "HIGH",
      tool: "Secret in an AI tool's configuration",
      subject: `${kind} ${fingerprint}`,
      title: `A ${kind} is written in ${file.path}: rotate it and read it from a secret store instead`,
      line: lineAt(starts, index),
      proposal: null,
      details: { kind, fingerprint },
    };
  });
}

export const secretDetector: Detector = {
  id: "secret",
  claims: () => false,
  detect: (file) => secretFootprints(file),
};
