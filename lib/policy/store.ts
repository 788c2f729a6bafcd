import { z } from "zod";
import { defineMutation, executeMutation, type MutationContext } from "@/lib/auth/mutation";
import type { Actor } from "@/lib/auth/actor";
import type { Db, DbOrTx, Tx } from "@/lib/db/client";
import { AppError, forbidden, notFound, validationError } from "@/lib/errors";
import { optionalText, requiredText } from "@/lib/validation/inventory";
import { DEFAULT_POLICIES } from "./default-policies";
import { checkPolicies, compilePolicySet, type CompiledPolicySet, type PolicyProblem } from "./engine";

// Policy versions in PostgreSQL. A version's text is checked against the
// schema when it is written and never changes after; the active version is
// the one activated last. Activating is a sensitive change (catalog entry
// "policy.activated"), so one person cannot quietly change what every agent
// may do. Warrant installs the default policies as version 1 on first use.

/** Large enough for hundreds of policies; a policy set is read whole on every version change. */
const MAX_POLICY_CHARS = 200_000;

/** "line 5, column 27: unexpected token …" for each problem, as one field message (the API also returns them listed). */
export function describeProblems(problems: PolicyProblem[]): string {
  return problems.map((problem) => `line ${problem.line}, column ${problem.column}: ${problem.message}`).join("; ");
}

export const createPolicyVersionInput = z.object({
  // Kept exactly as written, not trimmed: problems are named by line and column of the author's file.
  text: z
    .string({ message: "is required" })
    .max(MAX_POLICY_CHARS, { message: `must be at most ${MAX_POLICY_CHARS} characters` })
    .refine((text) => text.trim().length > 0, { message: "is required" }),
  note: optionalText(500),
});

/** Checks and stores a version; shared by writing one and by installing the defaults. */
async function storeVersion(tx: Tx, actor: Actor, audit: MutationContext["audit"], input: z.output<typeof createPolicyVersionInput>) {
  const checked = checkPolicies(input.text);
  if (!checked.ok) throw validationError({ text: describeProblems(checked.problems) });
  const last = await tx.policyVersion.findFirst({ orderBy: { number: "desc" }, select: { number: true } });
  const version = await tx.policyVersion.create({
    data: {
      number: (last?.number ?? 0) + 1,
      text: input.text,
      note: input.note ?? null,
      createdById: actor.kind === "system" ? null : actor.userId,
    },
  });
  const policies = checked.policies.map((policy) => policy.id);
  await audit({
    action: "policy.version_created",
    targetType: "policy_version",
    targetId: version.id,
    data: { number: version.number, note: version.note, policies },
  });
  return { id: version.id, number: version.number, policies };
}

async function markActive(tx: Tx, actor: Actor, audit: MutationContext["audit"], version: { id: string; number: number }) {
  const before = await activeVersionRow(tx);
  if (before?.id === version.id) throw new AppError("conflict", `Version ${version.number} is already active.`);
  const activated = await tx.policyVersion.update({
    where: { id: version.id },
    data: { activatedAt: new Date(), activatedById: actor.kind === "system" ? null : actor.userId },
  });
  await audit({
    action: "policy.activated",
    targetType: "policy_version",
    targetId: version.id,
    data: { number: version.number, previous: before?.number ?? null },
  });
  return { id: activated.id, number: activated.number, activatedAt: activated.activatedAt };
}

/** Versions are numbered in order and one is activated at a time: writers take turns on this lock. */
const lockVersions = (tx: Tx) => tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('warrant.policy-versions'))`;

/** Stores a new version of the policies after checking them; it is not active until activated. */
export const createPolicyVersion = defineMutation({
  name: "policies.create-version",
  description: "write runtime policies",
  permission: "policies:write",
  input: createPolicyVersionInput,
  maxFieldChars: MAX_POLICY_CHARS,
  async run({ tx, actor, audit }, input) {
    await lockVersions(tx);
    return storeVersion(tx, actor, audit, input);
  },
});

export const activatePolicyVersionInput = z.object({ versionId: requiredText(64) });

/** Makes a version the one that judges every request from now on. */
export const activatePolicyVersion = defineMutation({
  name: "policies.activate",
  description: "activate runtime policies",
  permission: "policies:write",
  input: activatePolicyVersionInput,
  sensitive: async ({ tx }, input) => {
    const version = await tx.policyVersion.findUnique({ where: { id: input.versionId }, select: { number: true } });
    if (!version) return [];
    return [
      {
        key: "policy.activated",
        reason: "the runtime policies decide what every agent may do",
        summary: `Activate runtime policies version ${version.number}`,
      },
    ];
  },
  async run({ tx, actor, audit }, input) {
    await lockVersions(tx);
    const version = await tx.policyVersion.findUnique({ where: { id: input.versionId } });
    if (!version)
      throw new AppError("validation_failed", "That policy version does not exist.", { versionId: "must be an existing version" });
    return markActive(tx, actor, audit, version);
  },
});

/** Installs Warrant's default policies as the active version 1, once: only where no version exists yet. */
export const installDefaultPolicies = defineMutation({
  name: "policies.install-defaults",
  description: "install the default runtime policies",
  permission: "policies:write",
  input: z.object({}),
  async run({ tx, actor, audit }) {
    if (actor.kind !== "system") throw forbidden("install the default policies: Warrant does that itself on first use");
    await lockVersions(tx);
    const existing = await activeVersionRow(tx);
    // Another server installed them a moment ago (mutations that change nothing are refused, not audited).
    if (existing) throw new AppError("conflict", `Policies are already installed: version ${existing.number} is active.`);
    const version = await storeVersion(tx, actor, audit, { text: DEFAULT_POLICIES, note: "Warrant's default policies" });
    await markActive(tx, actor, audit, version);
    return { id: version.id, number: version.number };
  },
});

async function activeVersionRow(db: DbOrTx) {
  return db.policyVersion.findFirst({ where: { activatedAt: { not: null } }, orderBy: [{ activatedAt: "desc" }, { number: "desc" }] });
}

/**
 * The active version, installing the defaults as version 1 when there is
 * none yet (a fresh install). Warrant installs them itself, audited.
 */
export async function activePolicyVersion(db: Db) {
  const active = await activeVersionRow(db);
  if (active) return active;
  try {
    await executeMutation(installDefaultPolicies, { kind: "system", label: "warrant" }, {}, db);
  } catch (error) {
    if (!(error instanceof AppError && error.code === "conflict")) throw error;
  }
  const installed = await activeVersionRow(db);
  if (!installed) throw new Error("No policy version is active after installing the defaults");
  return installed;
}

export type NumberedPolicySet = CompiledPolicySet & { number: number };

/** Compiled sets by version id: a version's text never changes, so neither does its set. */
const setsByVersion = new Map<string, NumberedPolicySet>();

function numberedSet(version: { id: string; number: number; text: string }): NumberedPolicySet {
  let set = setsByVersion.get(version.id);
  if (!set) {
    set = { ...compilePolicySet(version.id, version.text), number: version.number };
    setsByVersion.set(version.id, set);
  }
  return set;
}

/** The active policy set, parsed once per version (see compilePolicySet). */
export async function activePolicySet(db: Db): Promise<NumberedPolicySet> {
  return numberedSet(await activePolicyVersion(db));
}

/**
 * The policy set of the version a caller found active (its id read along with
 * the rest of what it needs, in the same statement), without reading the
 * version again once its set is compiled; null (no version active yet) installs
 * the defaults, as activePolicySet does.
 */
export async function policySetOfActiveVersion(db: Db, activeVersionId: string | null): Promise<NumberedPolicySet> {
  const compiled = activeVersionId ? setsByVersion.get(activeVersionId) : undefined;
  if (compiled) return compiled;
  const version = activeVersionId ? await db.policyVersion.findUnique({ where: { id: activeVersionId } }) : null;
  return version ? numberedSet(version) : activePolicySet(db);
}

/** The active version's id as an SQL expression, for a statement that reads it along with other rows (the same order as activeVersionRow). */
export const ACTIVE_POLICY_VERSION_ID_SQL = `(SELECT v."id" FROM "PolicyVersion" v WHERE v."activatedAt" IS NOT NULL ORDER BY v."activatedAt" DESC, v."number" DESC LIMIT 1)`;

export async function listPolicyVersions(db: Db) {
  const [active, versions] = await Promise.all([
    activeVersionRow(db),
    db.policyVersion.findMany({
      orderBy: { number: "desc" },
      select: {
        id: true,
        number: true,
        note: true,
        createdAt: true,
        activatedAt: true,
        createdBy: { select: { id: true, name: true, email: true } },
        activatedBy: { select: { id: true, name: true, email: true } },
      },
    }),
  ]);
  return versions.map((version) => ({ ...version, active: version.id === active?.id }));
}

/** The version with this id, or the active one when there is no such version (the Policies page's ?version=). */
export async function policyVersionOrActive(db: Db, id: string | undefined) {
  const wanted = id ? await db.policyVersion.findUnique({ where: { id } }) : null;
  return wanted ?? activePolicyVersion(db);
}

export async function getPolicyVersion(db: Db, id: string) {
  const version = await db.policyVersion.findUnique({
    where: { id },
    include: {
      createdBy: { select: { id: true, name: true, email: true } },
      activatedBy: { select: { id: true, name: true, email: true } },
    },
  });
  if (!version) throw notFound("That policy version");
  const active = await activeVersionRow(db);
  return { ...version, active: version.id === active?.id };
}
