import { prisma } from "@/lib/db/client";

export interface Health {
  status: "ok" | "degraded";
  app: { status: "ok"; version: string };
  database: { status: "ok"; latencyMs: number } | { status: "unreachable" };
}

export async function checkHealth(): Promise<Health> {
  const app = { status: "ok" as const, version: process.env.npm_package_version ?? "0.1.0" };
  const started = performance.now();
  try {
    await prisma.$queryRaw`SELECT 1`;
    return { status: "ok", app, database: { status: "ok", latencyMs: Math.round(performance.now() - started) } };
  } catch (error) {
    // Anyone can call the probe, and driver messages name hosts, roles and
    // databases: the detail goes to the server's log, the caller gets a status.
    console.error("[health] database unreachable:", error);
    return { status: "degraded", app, database: { status: "unreachable" } };
  }
}
