import type { DetectorId, FindingSeverity, ProposedIdentity } from "@/lib/validation/discovery";

// What a detector sees and says. The scanner (scan.ts) walks the repository,
// reads only the files some detector claims, and turns each footprint into a
// report finding: it adds the file, the snippet (secrets masked), the
// fingerprint, and redacts every string, so a detector cannot leak a secret by
// quoting the file.

/** A footprint file as read: its path relative to the repository (forward slashes) and its text. */
export interface FootprintFile {
  path: string;
  text: string;
}

export interface DetectorContext {
  /** owner/name of the scanned repository, for the proposed identity's name. */
  repository: string;
  /**
   * Every file of the repository that some detector claimed, as read: for a
   * footprint whose reach another file decides (a reusable workflow runs with
   * what the workflows calling it grant). Empty when a detector is run alone.
   */
  claimedFiles?: readonly FootprintFile[];
}

/** One footprint in a file; the scanner makes it a finding. */
export interface Footprint {
  severity: FindingSeverity;
  tool: string;
  /** Stable across scans (no line numbers): with the file it identifies the finding. */
  subject: string;
  title: string;
  line: number;
  proposal: ProposedIdentity | null;
  details: Record<string, unknown>;
}

export interface Detector {
  id: DetectorId;
  /** Whether this detector reads the file at that path. Called for every file the walk sees, so it only looks at the path. */
  claims(path: string): boolean;
  detect(file: FootprintFile, context: DetectorContext): Footprint[];
}
