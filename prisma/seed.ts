// `npm run db:seed`: loads the demo organisation into the configured database
// (DATABASE_URL, or the embedded one). Does nothing if it was loaded before or
// the database already has users.
import { parseEnv } from "../lib/env";
import { prepareDatabase } from "../lib/db/prepare";

const database = await prepareDatabase(parseEnv(), console.log);
const { seedDemoDataOnce } = await import("../lib/demo/seed");
const { prisma } = await import("../lib/db/client");
try {
  const seeded = await seedDemoDataOnce(prisma, console.log);
  console.log(seeded ? "Loaded the demo data." : "Demo data not loaded: this database already has users.");
} finally {
  await prisma.$disconnect();
  await (await import("../lib/db/runtime-pool")).closeRuntimePool();
  await database.stop();
}
