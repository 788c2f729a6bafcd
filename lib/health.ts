import { prisma } from "@/lib/db/client";

export interface Health {
  status: "ok" | "degraded";
  app: { status: "ok"; version: string };
  database: { status: "ok"; latencyMs: number } | { status: "unreachable"; error: string };
}

export async function checkHealth(): Promise<Health> {
  const app = { status: "ok" as const, version: process.env.npm_package_version ?? "0.1.0" };
  const started = performance.now();
  try {
    await prisma.$queryRaw`SELECT 1`;
    return { status: "ok", app, database: { status: "ok", latencyMs: Math.round(performance.now() - started) } };
  } catch (error) {
    // The message names the failure kind without leaking the connection string.
    const message = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 200) : "unknown error";
    return { status: "degraded", app, database: { status: "unreachable", error: message } };
  }
}
