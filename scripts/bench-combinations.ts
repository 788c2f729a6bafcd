import { Autonomy, Environment, IdentityKind, IdentityStatus, RiskTier } from "../lib/db/generated/enums";
import { CREDENTIAL_AGE_BUCKETS, SORTABLE_COLUMNS } from "../lib/inventory/query";

// The filter combinations people actually make, for `npm run bench`: two to
// five of the inventory's thirteen filters, a sort column and a direction,
// drawn from a fixed seed so two runs (or two commits) ask exactly the same
// questions. Repeating a dozen fixed URLs measured only the shapes the server
// had already seen; these are mostly new to it.

/** mulberry32: a small, well-spread PRNG; Math.random cannot be seeded. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Ids and words that exist in the `seed:large` inventory (lib/demo/seed-large.ts). */
export interface CombinationSpace {
  owners: number;
  teams: number;
  words: readonly string[];
}

export const LARGE_SPACE: CombinationSpace = {
  owners: 2000,
  teams: 50,
  words: ["claude", "copilot", "cursor", "deploys", "triage", "mend", "gemini", "release", "incidents", "42"],
};

type Pick = (random: () => number) => string;

function oneOf<T>(values: readonly T[], random: () => number): T {
  return values[Math.floor(random() * values.length)]!;
}

/** One or two distinct values of an enum, comma-separated as the filters send them. */
function someOf(values: readonly string[]): Pick {
  return (random) => {
    const first = oneOf(values, random);
    if (random() < 0.6) return first;
    const second = oneOf(
      values.filter((value) => value !== first),
      random,
    );
    return `${first},${second}`;
  };
}

function filters(space: CombinationSpace): Record<string, Pick> {
  return {
    status: someOf(Object.values(IdentityStatus)),
    kind: someOf(Object.values(IdentityKind)),
    environment: someOf(Object.values(Environment)),
    autonomy: someOf(Object.values(Autonomy)),
    risk: someOf(Object.values(RiskTier)),
    ownerId: (random) => `scale-user-${1 + Math.floor(random() * space.owners)}`,
    teamId: (random) => `scale-team-${1 + Math.floor(random() * space.teams)}`,
    reviewOverdue: () => "1",
    orphaned: (random) => (random() < 0.5 ? "1" : "0"),
    longLivedCredential: (random) => (random() < 0.5 ? "1" : "0"),
    credentialAge: (random) => oneOf(Object.keys(CREDENTIAL_AGE_BUCKETS), random),
    expiresWithinDays: (random) => oneOf(["7", "14", "30", "60", "90"], random),
    q: (random) => oneOf(space.words, random),
  };
}

/**
 * `count` distinct query strings (filters in a fixed order, then sort and
 * dir), the same for the same seed. Each names two to five filters.
 */
export function filterCombinations(count: number, seed: number, space: CombinationSpace = LARGE_SPACE): string[] {
  const random = seededRandom(seed);
  const pickers = filters(space);
  const names = Object.keys(pickers);
  const seen = new Set<string>();
  for (let attempts = 0; seen.size < count && attempts < count * 100; attempts += 1) {
    const howMany = 2 + Math.floor(random() * 4);
    const chosen = new Set<string>();
    while (chosen.size < howMany) chosen.add(oneOf(names, random));
    const params = new URLSearchParams();
    for (const name of names) if (chosen.has(name)) params.set(name, pickers[name]!(random));
    params.set("sort", oneOf(SORTABLE_COLUMNS, random));
    params.set("dir", random() < 0.5 ? "asc" : "desc");
    seen.add(params.toString());
  }
  return [...seen];
}
