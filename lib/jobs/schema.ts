/** pg-boss keeps its tables in a schema of its own, which Prisma neither migrates nor diffs (it manages `public`). */
export const JOBS_SCHEMA = "pgboss";
