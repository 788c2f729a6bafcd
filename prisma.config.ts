import { defineConfig } from "prisma/config";

// DATABASE_URL is read from process.env directly (not prisma's env()) so that
// `prisma generate` works on a fresh clone with no database configured.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: {
    url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/warrant",
    shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL,
  },
});
