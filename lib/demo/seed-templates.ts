import type { Tx } from "@/lib/db/client";
import type { Autonomy, Environment, IdentityKind, Permission } from "@/lib/db/generated/enums";

// The demo's identity templates: the kinds of tool the demo organisation has
// approved, so an owner can register one in two fields. One is sensitive
// (deploy on production), so registering from it waits for approval.

const DEMO_TEMPLATES: {
  name: string;
  description: string;
  kind: IdentityKind;
  vendor: string;
  product: string;
  environment: Environment;
  autonomy: Autonomy;
  team: string;
  reviewCadenceDays: number | null;
  lifetimeDays: number;
  grants: { system: string; permission: Permission }[];
}[] = [
  {
    name: "Claude Code, dev",
    description: "Claude Code on a developer's machine: suggests, reads the web app's repository.",
    kind: "CODING_AGENT",
    vendor: "Anthropic",
    product: "Claude Code",
    environment: "DEV",
    autonomy: "SUGGEST",
    team: "Developer Experience",
    reviewCadenceDays: 90,
    lifetimeDays: 180,
    grants: [{ system: "github.com/acme/web", permission: "READ" }],
  },
  {
    name: "Copilot in the IDE",
    description: "GitHub Copilot completions; reviewed at its risk tier's cadence.",
    kind: "IDE_ASSISTANT",
    vendor: "GitHub",
    product: "Copilot",
    environment: "DEV",
    autonomy: "SUGGEST",
    team: "Payments",
    reviewCadenceDays: null,
    lifetimeDays: 365,
    grants: [
      { system: "github.com/acme/web", permission: "READ" },
      { system: "github.com/acme/docs", permission: "READ" },
    ],
  },
  {
    name: "Release agent, prod",
    description: "Deploys tagged releases to production Kubernetes: registering one needs approval.",
    kind: "CODING_AGENT",
    vendor: "Anthropic",
    product: "Claude Code",
    environment: "PROD",
    autonomy: "DRAFT",
    team: "Payments",
    reviewCadenceDays: null,
    lifetimeDays: 90,
    grants: [{ system: "k8s-prod", permission: "DEPLOY" }],
  },
];

export async function seedDemoTemplates(tx: Tx, ids: { teams: Map<string, string>; systems: Map<string, string>; createdById: string }) {
  for (const { team, grants, ...template } of DEMO_TEMPLATES) {
    await tx.identityTemplate.create({
      data: {
        ...template,
        teamId: ids.teams.get(team),
        grants: grants.map((grant) => ({ systemId: ids.systems.get(grant.system)!, permission: grant.permission })),
        createdById: ids.createdById,
      },
    });
  }
}
